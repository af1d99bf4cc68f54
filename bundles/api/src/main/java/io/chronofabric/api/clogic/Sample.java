package io.chronofabric.api.clogic;

/**
 * One number of a named stream: the simplest payload a C-LOGIC module reads.
 *
 * @param stream    the stream's name (no whitespace), never empty
 * @param value     the number, finite
 * @param timeNanos time-source nanoseconds when it was measured, not negative
 * @throws IllegalArgumentException naming the field that is wrong (a NaN value, an empty name...)
 */
public record Sample(String stream, double value, long timeNanos) {

    public Sample {
        Checks.name("Sample stream name", stream);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Sample value of stream '" + stream + "' is " + value + ": it must be a finite number");
        }
        if (timeNanos < 0) {
            throw new IllegalArgumentException("Sample time of stream '" + stream + "' " + timeNanos + " is negative");
        }
    }
}
