package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A whiteboard handler that asked for same-thread delivery ({@code chronofabric.bus.delivery=same-thread}):
 * no queue and no dispatcher; the publisher's thread calls it inside {@code publish}. Calls in
 * progress are counted, so a close waits for them and a handler is never called after its
 * unsubscription returns: a publisher marks its call begun, then reads {@link #closed}; a closer
 * sets it, then waits until every begun call has ended. Both sides order a store before a load
 * with a full fence, so at least one sees the other.
 *
 * <p>The first thread to deliver to the handler becomes its <em>main caller</em> (most handlers
 * have one publisher): its calls are counted in a nesting depth and a delivered count that only
 * it writes, on cache lines of their own, one volatile store (the fence) to begin and a release
 * store to end. Other threads count their calls with two atomic read-modify-writes (entered,
 * exited), as every caller did before.
 */
final class DirectSubscriber extends Subscriber {

    private static final java.lang.invoke.VarHandle MAIN_CALLER;

    static {
        try {
            MAIN_CALLER = java.lang.invoke.MethodHandles.lookup().findVarHandle(DirectSubscriber.class, "mainCaller", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final PacketHandler<Object> handler;
    /** Calls of other threads begun and ended (including those that backed out on a close); delivered = exited - undelivered. */
    private final AtomicLong entered = new AtomicLong();
    private final AtomicLong exited = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    /** The main caller (set once), its calls in progress (nested calls count) and its deliveries. */
    @SuppressWarnings("unused")
    private volatile Thread mainCaller;
    private final PaddedCounter mainDepth = new PaddedCounter();
    private final PaddedCounter mainDelivered = new PaddedCounter();

    @SuppressWarnings("unchecked")
    DirectSubscriber(long id, Class<?> type, String channel, int componentId, PacketHandler<?> handler, String owner) {
        super(id, type, channel, componentId, HandlerSubscriber.acceptsOf((PacketHandler<Object>) handler), 16, owner);
        this.handler = (PacketHandler<Object>) handler;
    }

    private boolean isMainCaller(Thread t) {
        Thread m = mainCaller;
        return m == t || (m == null && MAIN_CALLER.compareAndSet(this, null, t));
    }

    /** @return false if closed: the caller must not call the handler (and must still call {@link #exit}) */
    boolean enter() {
        if (isMainCaller(Thread.currentThread())) {
            mainDepth.setVolatile(mainDepth.own() + 1); // the fence orders this store before the read of closed
            return !closed;
        }
        entered.getAndIncrement();
        return !closed;
    }

    /** Ends a call begun by {@link #enter} on the same thread. */
    void exit(boolean delivered) {
        if (mainCaller == Thread.currentThread()) { // it never changes once set, so this is what enter decided
            if (delivered) {
                mainDelivered.add(1);
            }
            mainDepth.add(-1);
            return;
        }
        if (!delivered) {
            undelivered.getAndIncrement();
        }
        exited.getAndIncrement();
    }

    /** Waits (yielding, then parking briefly) until no call is in progress, for at most {@code maxNanos}. */
    boolean awaitIdle(long maxNanos) {
        long end = System.nanoTime() + maxNanos;
        int spins = 0;
        while (exited.get() < entered.get() || mainDepth.getVolatile() > 0) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            if (++spins < 100) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
        return true;
    }

    @Override
    long delivered() {
        return exited.get() - undelivered.get() + mainDelivered.get();
    }

    @Override
    String origin() {
        return "whiteboard (same-thread)";
    }
}
