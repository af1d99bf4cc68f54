package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A whiteboard handler that asked for same-thread delivery ({@code chronofabric.bus.delivery=same-thread}):
 * no queue and no dispatcher; the publisher's thread calls it inside {@code publish}. Calls in
 * progress are counted (entered/exited), so a close waits for them and a handler is never called
 * after its unsubscription returns: a publisher enters, then reads {@link #closed}; a closer sets
 * it, then waits until every entered call has exited (the two atomic read-modify-writes order
 * both sides).
 */
final class DirectSubscriber extends Subscriber {

    final PacketHandler<Object> handler;
    /** Calls begun and calls ended (including those that backed out on a close); delivered = exited - undelivered. */
    private final AtomicLong entered = new AtomicLong();
    private final AtomicLong exited = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();

    @SuppressWarnings("unchecked")
    DirectSubscriber(long id, Class<?> type, String channel, int componentId, PacketHandler<?> handler, String owner) {
        super(id, type, channel, componentId, HandlerSubscriber.acceptsOf((PacketHandler<Object>) handler), 16, owner);
        this.handler = (PacketHandler<Object>) handler;
    }

    /** @return false if closed: the caller must not call the handler (and must still call {@link #exit}) */
    boolean enter() {
        entered.getAndIncrement();
        return !closed;
    }

    void exit(boolean delivered) {
        if (!delivered) {
            undelivered.getAndIncrement();
        }
        exited.getAndIncrement();
    }

    /** Waits (yielding, then parking briefly) until no call is in progress, for at most {@code maxNanos}. */
    boolean awaitIdle(long maxNanos) {
        long end = System.nanoTime() + maxNanos;
        int spins = 0;
        while (exited.get() < entered.get()) {
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
        return exited.get() - undelivered.get();
    }

    @Override
    String origin() {
        return "whiteboard (same-thread)";
    }
}
