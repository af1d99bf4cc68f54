package io.chronofabric.api.clogic;

import java.util.Map;
import java.util.Objects;

/**
 * The full affective state of one agent, as an emotion module reports it (console, snapshots).
 * Immutable.
 *
 * @param agent           the agent's name
 * @param emotions        active emotions by name with their intensities (&ge; 0, before the gain
 *                        limiter), unmodifiable, strongest first
 * @param emotionPad      the PAD point of the active emotions (GAMYGDALA's PAD state: the sum of
 *                        each emotion's PAD vector times its intensity, clamped)
 * @param mood            the current mood (ALMA)
 * @param defaultMood     the mood the agent returns to (from its personality)
 * @param dominantEmotion the strongest emotion, or {@link Modulation#NONE}
 * @param intensity       its intensity after the gain limiter, in [0, 1]
 * @param timeNanos       time-source nanoseconds of the state
 * @throws IllegalArgumentException naming the field that is wrong
 */
public record AffectState(String agent, Map<String, Double> emotions, Pad emotionPad, Pad mood, Pad defaultMood,
        String dominantEmotion, double intensity, long timeNanos) {

    public AffectState {
        Checks.name("Agent name", agent);
        emotions = Checks.values("Emotion intensity", emotions);
        emotions.forEach((k, v) -> {
            if (v < 0) {
                throw new IllegalArgumentException("Emotion intensity '" + k + "' " + v + " is negative");
            }
        });
        Objects.requireNonNull(emotionPad, "Emotion PAD");
        Objects.requireNonNull(mood, "Mood");
        Objects.requireNonNull(defaultMood, "Default mood");
        Checks.name("Dominant emotion", dominantEmotion);
        Checks.range("Dominant emotion intensity", Checks.finite("Dominant emotion intensity", intensity), 0, 1);
        Checks.nonNegative("Affect state time", timeNanos);
    }

    /** The intensity of emotion {@code name}, 0 when it is not active. */
    public double emotion(String name) {
        Double v = emotions.get(name);
        return v == null ? 0 : v;
    }
}
