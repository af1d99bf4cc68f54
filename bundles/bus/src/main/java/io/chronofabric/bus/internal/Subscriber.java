package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.bus.SubscriptionInfo;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** One subscription: what it wants, its bounded queue, its counters. */
abstract class Subscriber {

    final long id;
    final SubscriptionId subscriptionId;
    final Class<?> type;
    final String channel;
    final int componentId;
    final Predicate<PhasePacket<?>> filter;
    final LaneQueue queue;
    final String owner;
    final AtomicLong dropped = new AtomicLong();
    volatile boolean closed;
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
    }

    /** Whether the payload type matches; the filter is checked separately because it may throw. */
    final boolean typeMatches(PhasePacket<?> p) {
        return type == Object.class || type.isInstance(p.payload());
    }

    final void countDelivered() {
        delivered.add(1);
    }

    final long delivered() {
        return delivered.get();
    }

    /** Tells the consumer that a packet is waiting. */
    abstract void wakeConsumer();

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
