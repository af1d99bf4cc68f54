package io.chronofabric.bus.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The right to poll one subscription's queue. JCTools MPSC queues allow a single consumer; every
 * thread that polls (a dispatcher for a handler, the owner of a receiver, a closer or a late
 * publisher draining a closed subscription) holds this token while it does. A dispatcher holds it
 * for as long as it serves the subscription; a receiver's poll takes it per call.
 *
 * <p>Whoever releases it must look at the queue again afterwards (see
 * {@link PhaseCoherenceBus#finalDrain}): a publisher that offered while the token was held and
 * then failed to take it relies on that second look. Alone on its cache lines, since receivers
 * write it on every poll.
 */
final class ConsumerToken extends ConsumerTokenValue {
    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(ConsumerTokenValue.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    boolean tryAcquire() {
        return (int) HELD.getVolatile(this) == 0 && HELD.compareAndSet(this, 0, 1);
    }

    void release() {
        HELD.setVolatile(this, 0);
    }
}

abstract class ConsumerTokenPad {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class ConsumerTokenValue extends ConsumerTokenPad {
    @SuppressWarnings("unused")
    int held;
}
