package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.bus.SubscriptionInfo;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One subscription: what it wants, its bounded queue, its counters, and the state of its close.
 *
 * <p>Closing is a hand-over, never a second consumer: {@link #markClosed} records why and until
 * when the consumer may keep delivering; the thread holding the {@link ConsumerToken} (its
 * dispatcher, or whoever polls a receiver) then delivers or dead-letters what is queued and counts
 * {@link #retired} down.
 */
abstract class Subscriber {

    final long id;
    final SubscriptionId subscriptionId;
    final Class<?> type;
    final String channel;
    final int componentId;
    final Predicate<PhasePacket<?>> filter;
    final LaneQueue queue;
    final String owner;
    /** Same-thread delivery ({@link DirectSubscriber}): no queue, the publisher calls the handler. */
    final boolean direct;
    final AtomicLong dropped = new AtomicLong();
    final ConsumerToken token = new ConsumerToken();
    /** Counted down once the queue has been emptied for good after the close. */
    final CountDownLatch retired = new CountDownLatch(1);
    /**
     * Who to wake after an offer: the serving dispatcher's waker (handlers), the receiver's own
     * (receivers), null (same-thread handlers: nobody waits). Publishers read this field instead
     * of calling {@link #wakeConsumer()}, so the publish path makes no virtual call per offer.
     */
    volatile WaitStrategy.Waker waker;
    /** Read by publishers after each offer: a close racing the offer is then handled by {@link PhaseCoherenceBus#finalDrain}. */
    volatile boolean closed;
    private volatile String closeReason;
    /** System.nanoTime until which a closed subscription's consumer may keep delivering what is queued. */
    private volatile long drainUntil;
    /** Written by the single consumer for every packet: on lines of its own, away from what publishers read. */
    private final PaddedCounter delivered = new PaddedCounter();

    Subscriber(long id, Class<?> type, String channel, int componentId, Predicate<PhasePacket<?>> filter, int capacity,
            String owner) {
        this.id = id;
        this.subscriptionId = new SubscriptionId(id);
        this.type = type;
        this.channel = channel;
        this.componentId = componentId;
        this.filter = filter;
        this.queue = new LaneQueue(capacity);
        this.owner = owner;
        this.direct = this instanceof DirectSubscriber;
    }

    /** Whether the payload type matches; the filter is checked separately because it may throw. */
    final boolean typeMatches(PhasePacket<?> p) {
        return type == Object.class || type.isInstance(p.payload());
    }

    final void countDelivered() {
        delivered.add(1);
    }

    long delivered() {
        return delivered.get();
    }

    /**
     * Marks the subscription closed. The first call wins; later ones change nothing.
     *
     * @param drainNanos how long the consumer may keep delivering queued packets before the rest
     *                   go to the dead-letter log (0: dead-letter at once)
     * @return true if this call closed it
     */
    final synchronized boolean markClosed(String reason, long drainNanos) {
        if (closed) {
            return false;
        }
        closeReason = reason;
        drainUntil = System.nanoTime() + Math.max(0, drainNanos);
        closed = true;
        return true;
    }

    final String reasonClosed() {
        return closeReason;
    }

    /** For a closed subscription: whether its consumer should stop delivering and dead-letter the rest. */
    final boolean drainTimeUp(long nowMono) {
        return nowMono - drainUntil >= 0;
    }

    final boolean awaitRetired(long timeout, TimeUnit unit) throws InterruptedException {
        return retired.await(timeout, unit);
    }

    /** Tells the consumer that a packet is waiting. */
    final void wakeConsumer() {
        WaitStrategy.Waker w = waker;
        if (w != null) {
            w.wake();
        }
    }

    abstract String origin();

    SubscriptionInfo info() {
        return new SubscriptionInfo(subscriptionId, type.getName(), channel, componentId, origin(), owner, queue.size(),
                queue.capacity(), delivered(), dropped.get());
    }

    @Override
    public String toString() {
        return subscriptionId + (channel != null ? " channel " + channel : " type " + type.getName());
    }
}
