package io.chronofabric.api.clogic;

import java.util.Objects;

/**
 * The affect signal EMS publishes on {@link ClogicChannels#EMS_MODULATION} and other modules use
 * to change their sensitivity (e.g. higher arousal lowers detection thresholds). Immutable.
 *
 * @param source          the publishing module, e.g. {@code ems}
 * @param pad             the agent's affective state in PAD space (mood, or emotion when no mood
 *                        is kept), never null
 * @param dominantEmotion the strongest active emotion ({@code joy}, {@code fear}, ...), or
 *                        {@code none} when no emotion is active; never empty
 * @param intensity       the dominant emotion's intensity after the gain limiter, in [0, 1]
 * @param timeNanos       time-source nanoseconds, not negative
 * @throws IllegalArgumentException naming the field that is wrong
 */
public record Modulation(String source, Pad pad, String dominantEmotion, double intensity, long timeNanos) {

    /** {@link #dominantEmotion()} when no emotion is active. */
    public static final String NONE = "none";

    public Modulation {
        Checks.name("Modulation source", source);
        Objects.requireNonNull(pad, "Modulation PAD");
        Checks.name("Modulation dominant emotion", dominantEmotion);
        Checks.range("Modulation intensity", Checks.finite("Modulation intensity", intensity), 0, 1);
        Checks.nonNegative("Modulation time", timeNanos);
    }

    /** Arousal mapped to [0, 1]: 0.5 is neutral. A convenience for sensitivity scaling. */
    public double activation() {
        return (pad.arousal() + 1) / 2;
    }
}
