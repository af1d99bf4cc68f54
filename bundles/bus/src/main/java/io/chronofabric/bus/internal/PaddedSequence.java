package io.chronofabric.bus.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bus's message-id sequence: an atomic long alone on its cache lines. Every publish adds to
 * it; an {@code AtomicLong} would share its line with whatever the allocator placed next to it
 * (in the bus's constructor: the causal tracker, whose flag dispatchers read for every delivery),
 * so each publish would pull that line away from the dispatchers. Padding as in
 * {@link PaddedCounter}: 128 bytes on each side.
 */
final class PaddedSequence extends PaddedSequenceValue {
    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedSequenceValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    PaddedSequence(long initial) {
        VALUE.setVolatile(this, initial);
    }

    long incrementAndGet() {
        return (long) VALUE.getAndAdd(this, 1L) + 1;
    }

    long get() {
        return (long) VALUE.getVolatile(this);
    }
}

abstract class PaddedSequencePad {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class PaddedSequenceValue extends PaddedSequencePad {
    @SuppressWarnings("unused")
    volatile long value;
}
