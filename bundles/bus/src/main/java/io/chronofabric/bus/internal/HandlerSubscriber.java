package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import java.util.function.Predicate;

/** A whiteboard {@link PacketHandler} subscription, served by one dispatcher thread. */
final class HandlerSubscriber extends Subscriber {

    final PacketHandler<Object> handler;
    volatile Dispatcher dispatcher;

    @SuppressWarnings("unchecked")
    HandlerSubscriber(long id, Class<?> type, String channel, int componentId, PacketHandler<?> handler, int capacity,
            String owner) {
        super(id, type, channel, componentId, acceptsOf((PacketHandler<Object>) handler), capacity, owner);
        this.handler = (PacketHandler<Object>) handler;
    }

    private static Predicate<PhasePacket<?>> acceptsOf(PacketHandler<Object> h) {
        return p -> {
            @SuppressWarnings("unchecked")
            PhasePacket<Object> packet = (PhasePacket<Object>) p;
            return h.accepts(packet);
        };
    }

    @Override
    void wakeConsumer() {
        Dispatcher d = dispatcher;
        if (d != null) {
            d.waker.wake();
        }
    }

    @Override
    String origin() {
        return "whiteboard";
    }
}
