package io.chronofabric.api.core;

import java.time.Duration;
import java.time.Instant;

/**
 * A point in time as nanoseconds since the Unix epoch (1970-01-01T00:00:00Z).
 *
 * <p>Signed 64-bit nanoseconds cover the years 1677 to 2262. Arithmetic throws
 * {@link ArithmeticException} on overflow instead of wrapping.
 *
 * @param nanos nanoseconds since the epoch, never negative
 */
public record NanoTime(long nanos) implements Comparable<NanoTime> {

    public static final NanoTime EPOCH = new NanoTime(0);

    /**
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public NanoTime {
        if (nanos < 0) {
            throw new IllegalArgumentException("NanoTime " + nanos + " is negative: times count from the epoch");
        }
    }

    public static NanoTime ofNanos(long nanos) {
        return new NanoTime(nanos);
    }

    public static NanoTime ofMillis(long millis) {
        return new NanoTime(Math.multiplyExact(millis, 1_000_000L));
    }

    public static NanoTime of(Instant instant) {
        return new NanoTime(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano()));
    }

    public NanoTime plus(Duration duration) {
        return new NanoTime(Math.addExact(nanos, duration.toNanos()));
    }

    public NanoTime plusNanos(long delta) {
        return new NanoTime(Math.addExact(nanos, delta));
    }

    /** The signed duration from {@code earlier} to this time. */
    public Duration since(NanoTime earlier) {
        return Duration.ofNanos(Math.subtractExact(nanos, earlier.nanos));
    }

    public boolean isBefore(NanoTime other) {
        return nanos < other.nanos;
    }

    public boolean isAfter(NanoTime other) {
        return nanos > other.nanos;
    }

    public Instant toInstant() {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    @Override
    public int compareTo(NanoTime other) {
        return Long.compare(nanos, other.nanos);
    }

    @Override
    public String toString() {
        return toInstant().toString();
    }
}
