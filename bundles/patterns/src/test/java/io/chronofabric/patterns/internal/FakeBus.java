package io.chronofabric.patterns.internal;

import io.chronofabric.api.bus.BusHealth;
import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.Subscription;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small bus for the tests, on the bus API only: stamps packets and hands them to the handlers of
 * their channel through {@code delivery} (the calling thread, or an executor standing in for a
 * dispatcher thread). Not a model of the real bus's queues or causal holds.
 */
final class FakeBus implements EventBus {

    private final Object owner = new Object();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, List<PacketHandler<Object>>> handlers = new ConcurrentHashMap<>();
    final List<PhasePacket<?>> published = new CopyOnWriteArrayList<>();
    private final Executor delivery;

    FakeBus(Executor delivery) {
        this.delivery = delivery;
    }

    @SuppressWarnings("unchecked")
    void register(String channel, PacketHandler<?> handler) {
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add((PacketHandler<Object>) handler);
    }

    @SuppressWarnings("unchecked")
    @Override
    public long publish(PhasePacket<?> packet) {
        long id = MessageId.pack(1, sequence.incrementAndGet());
        packet.stamp(owner, id, new LogicalTime(System.currentTimeMillis(), 0, 1), System.nanoTime(), 0);
        published.add(packet);
        for (PacketHandler<Object> h : handlers.getOrDefault(packet.channel(), List.of())) {
            PhasePacket<Object> p = (PhasePacket<Object>) packet;
            if (h.accepts(p)) {
                delivery.execute(() -> {
                    try {
                        h.onPacket(p);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        return id;
    }

    @Override
    public long[] publishBatch(List<? extends PhasePacket<?>> packets) {
        return packets.stream().mapToLong(this::publish).toArray();
    }

    @Override
    public PublishStatus tryPublish(PhasePacket<?> packet) {
        publish(packet);
        return PublishStatus.values()[0];
    }

    @Override
    public long publishWithDeadline(PhasePacket<?> packet, long deadlineNanos) {
        return publish(packet);
    }

    @Override
    public int subscriberCount(Class<?> type) {
        return 0;
    }

    @Override
    public int subscriberCount(String channel) {
        return handlers.getOrDefault(channel, List.of()).size();
    }

    @Override
    public BusStats stats() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isHealthy() {
        return true;
    }

    @Override
    public BusHealth healthCheck() {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> Receiver<T> subscribe(Subscription<T> subscription) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void unsubscribe(SubscriptionId id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<SubscriptionInfo> activeSubscriptions() {
        return List.of();
    }

    @Override
    public int subscriptionCount() {
        return 0;
    }

    @Override
    public Map<String, Integer> subscriptionCounts() {
        return Map.of();
    }

    @Override
    public Set<String> channels() {
        return handlers.keySet();
    }

    @Override
    public void linkChannels(String from, String to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean unlinkChannels(String from, String to) {
        return false;
    }

    @Override
    public Map<String, Set<String>> channelLinks() {
        return Map.of();
    }
}
