package io.chronofabric.bus.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter (or any long) with one writer thread, alone on its cache lines.
 *
 * <p>A consumer that counts every packet into a field of an object the publishers read (the
 * subscription, its dispatcher) makes each publish miss in its cache: the line moves to the
 * consumer's core with every count. Padding keeps the count on lines nobody else touches on the
 * hot path. HotSpot lays out a superclass's fields before its subclass's, so the 128 bytes of
 * {@code long}s on each side (two lines, for the adjacent-line prefetcher) cannot be reordered
 * around the value.
 */
final class PaddedCounter extends PaddedCounterValue {
    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedCounterValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Writer thread only: adds without an atomic read-modify-write; readers see it with acquire. */
    void add(long delta) {
        VALUE.setRelease(this, (long) VALUE.getOpaque(this) + delta);
    }

    long get() {
        return (long) VALUE.getAcquire(this);
    }

    /** Writer thread only: a volatile store (a full fence after it: later reads cannot pass it). */
    void setVolatile(long value) {
        VALUE.setVolatile(this, value);
    }

    /** Writer thread only: its own last value, without a fence. */
    long own() {
        return (long) VALUE.getOpaque(this);
    }

    long getVolatile() {
        return (long) VALUE.getVolatile(this);
    }
}

abstract class PaddedCounterPad {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class PaddedCounterValue extends PaddedCounterPad {
    @SuppressWarnings("unused")
    long value;
}
