package io.chronofabric.api.clogic;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pattern a module found in one or more streams, e.g. DRPP's output on
 * {@link ClogicChannels#DRPP_PATTERNS}. Immutable.
 *
 * @param kind      what was found, never null
 * @param streams   the streams involved, at least one; for {@link PatternKind#INFORMATION_FLOW}
 *                  the source first, then the target
 * @param values    the measured values by name ({@link #FREQUENCY}, {@link #POWER}, ...), each
 *                  finite; kept in the given order, unmodifiable
 * @param timeNanos time-source nanoseconds of the last sample that contributed, not negative
 * @param detail    free text for people (unit, estimator), never null (may be empty)
 * @throws IllegalArgumentException naming the field that is wrong
 */
public record PatternEvent(PatternKind kind, List<String> streams, Map<String, Double> values, long timeNanos, String detail) {

    public static final String FREQUENCY = "frequency";
    public static final String POWER = "power";
    public static final String SNR = "snr";
    /** Kuramoto order parameter. */
    public static final String R = "r";
    public static final String PHASE = "phase";
    /** Transfer entropy. */
    public static final String TE = "te";
    /** A p-value (e.g. of a permutation test). */
    public static final String P = "p";
    public static final String INDEX = "index";
    public static final String DISTANCE = "distance";
    public static final String PROBABILITY = "probability";
    public static final String STATISTIC = "statistic";

    public PatternEvent {
        Objects.requireNonNull(kind, "Pattern event kind");
        streams = Checks.names("Pattern event stream", streams);
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("Pattern event " + kind + " names no stream");
        }
        values = Checks.values("Pattern event value", values);
        Checks.nonNegative("Pattern event time", timeNanos);
        Objects.requireNonNull(detail, "Pattern event detail");
    }

    /** As the canonical constructor, with an empty detail. */
    public PatternEvent(PatternKind kind, List<String> streams, Map<String, Double> values, long timeNanos) {
        this(kind, streams, values, timeNanos, "");
    }

    /** The value named {@code name}, or NaN when the event has none. */
    public double value(String name) {
        Double v = values.get(name);
        return v == null ? Double.NaN : v;
    }
}
