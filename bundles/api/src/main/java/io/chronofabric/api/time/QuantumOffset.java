package io.chronofabric.api.time;

/**
 * A deterministic periodic time offset (the seed's "quantum offset"). Nothing quantum is
 * computed: the offset at time {@code t} is the sinusoid
 * <pre>offset(t) = amplitudeNanos * sin(2&pi; * frequencyHz * t + phaseRadians)</pre>
 * with {@code t} in seconds. Schedulers use it to shift the release times of periodic tasks by
 * different amounts so that many tasks with the same period do not fire in lockstep.
 *
 * @param amplitudeNanos peak offset in nanoseconds, not negative
 * @param frequencyHz    oscillations per second, not negative
 * @param phaseRadians   phase shift in radians
 */
public record QuantumOffset(double amplitudeNanos, double frequencyHz, double phaseRadians) {

    /** No offset. */
    public static final QuantumOffset NONE = new QuantumOffset(0, 0, 0);

    public QuantumOffset {
        if (!(amplitudeNanos >= 0) || Double.isInfinite(amplitudeNanos)) {
            throw new IllegalArgumentException("Quantum offset amplitude " + amplitudeNanos + " ns must be finite and >= 0");
        }
        if (!(frequencyHz >= 0) || Double.isInfinite(frequencyHz)) {
            throw new IllegalArgumentException("Quantum offset frequency " + frequencyHz + " Hz must be finite and >= 0");
        }
        if (Double.isNaN(phaseRadians) || Double.isInfinite(phaseRadians)) {
            throw new IllegalArgumentException("Quantum offset phase " + phaseRadians + " rad must be finite");
        }
    }

    /** The offset in nanoseconds at {@code nanos} since the epoch, rounded to the nearest ns. */
    public long offsetAt(long nanos) {
        if (amplitudeNanos == 0) {
            return 0;
        }
        // reduce time modulo the period first so that large epoch values keep precision
        double t;
        if (frequencyHz == 0) {
            t = 0;
        } else {
            double periodNanos = 1e9 / frequencyHz;
            t = (nanos % periodNanos) / 1e9;
        }
        return Math.round(amplitudeNanos * Math.sin(2 * Math.PI * frequencyHz * t + phaseRadians));
    }

    /** This offset with its phase shifted by {@code radians}. */
    public QuantumOffset withPhase(double radians) {
        return new QuantumOffset(amplitudeNanos, frequencyHz, radians);
    }
}
