package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import java.util.function.Predicate;

/**
 * A whiteboard {@link PacketHandler} subscription, served by one dispatcher thread. Its
 * {@link ConsumerToken} is taken when it is created and passed from dispatcher to dispatcher
 * (never released in between) until its queue is emptied for good after its close.
 */
final class HandlerSubscriber extends Subscriber {

    final PacketHandler<Object> handler;
    /** The dispatcher serving it now; set by that dispatcher's thread when it takes the subscription over. */
    volatile Dispatcher dispatcher;
    // the serving dispatcher's waker is Subscriber.waker, read by publishers without touching the
    // dispatcher (whose counters its thread writes)

    @SuppressWarnings("unchecked")
    HandlerSubscriber(long id, Class<?> type, String channel, int componentId, PacketHandler<?> handler, int capacity,
            String owner) {
        super(id, type, channel, componentId, acceptsOf((PacketHandler<Object>) handler), capacity, owner);
        this.handler = (PacketHandler<Object>) handler;
        if (!token.tryAcquire()) {
            throw new IllegalStateException("a new subscription's consumer token is free");
        }
    }

    /** The handler's {@code accepts} as a filter, or null when it keeps the default (accept all): no call per offer then. */
    static Predicate<PhasePacket<?>> acceptsOf(PacketHandler<Object> h) {
        if (!overridesAccepts(h.getClass())) {
            return null;
        }
        return p -> {
            @SuppressWarnings("unchecked")
            PhasePacket<Object> packet = (PhasePacket<Object>) p;
            return h.accepts(packet);
        };
    }

    private static boolean overridesAccepts(Class<?> c) {
        try {
            return c.getMethod("accepts", PhasePacket.class).getDeclaringClass() != PacketHandler.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return true;
        }
    }

    @Override
    String origin() {
        return "whiteboard";
    }
}
