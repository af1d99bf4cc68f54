package io.chronofabric.bridge.typedevent.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.bridge.common.internal.BadEventException;
import io.chronofabric.bridge.common.internal.InboundPath;
import io.chronofabric.bridge.common.internal.RateLimitedLog;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.osgi.service.typedevent.TypedEventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Typed Events bridge does per packet and per event, apart from OSGi registrations.
 * Thread-safe and lock-free; services are read through suppliers (dynamic references).
 *
 * <p>Inbound ({@link #receive}) never throws into the Typed Event bus: bad data, an absent or
 * restarting bus, a refused publish are counted and logged (rate limited) with the topic.
 * Outbound ({@link #forward}) delivers asynchronously ({@link TypedEventBus#deliverUntyped}); a
 * payload it cannot convert or a missing Typed Event bus is counted and thrown, so the bus
 * dead-letters the packet. Events whose data carries this bridge's origin marker and packets
 * this bridge published are never bridged back.
 */
final class TypedBridgeCore extends InboundPath {

    private static final Logger LOG = LoggerFactory.getLogger(TypedBridgeCore.class);

    final LongAdder delivered = new LongAdder();
    final LongAdder deliverFailed = new LongAdder();
    final LongAdder unconvertible = new LongAdder();
    final LongAdder echoesSuppressed = new LongAdder();
    final LongAdder unhandled = new LongAdder();

    private final Supplier<TypedEventBus> typedBus;
    private final RateLimitedLog outLog = new RateLimitedLog(LOG, 10_000);
    private volatile TypedConverter converter;
    private volatile TypedConverter previous;
    private volatile String lastUnhandledTopic;

    TypedBridgeCore(TypedConverter converter, Supplier<EventBus> bus, Supplier<HlcClock> clock, Supplier<TypedEventBus> typedBus) {
        super(LOG, "Typed Event", bus, clock);
        this.converter = Objects.requireNonNull(converter, "converter");
        this.typedBus = typedBus;
    }

    TypedConverter converter() {
        return converter;
    }

    void converter(TypedConverter next) {
        previous = converter;
        converter = Objects.requireNonNull(next, "converter");
    }

    /**
     * Delivers {@code packet} to the Typed Event bus on {@code topic}, unless this bridge
     * published it.
     *
     * @throws IllegalArgumentException if its payload cannot become event data (the bus dead-letters it)
     * @throws ServiceUnavailableException if no Typed Event bus is bound
     */
    void forward(PhasePacket<?> packet, String topic) {
        TypedConverter c = converter;
        TypedConverter p = previous;
        if (c.isOwn(packet) || (p != null && p.isOwn(packet))) {
            echoesSuppressed.increment();
            return;
        }
        Map<String, Object> data;
        try {
            data = c.toEventData(packet);
        } catch (BadEventException e) {
            unconvertible.increment();
            outLog.warn("Packet {} of channel {} not delivered to topic {}: {}", packet.messageId(), packet.channel(), topic,
                    e.getMessage());
            throw new IllegalArgumentException("Packet " + packet.messageId() + " of channel " + packet.channel()
                    + " cannot become a Typed Event: " + e.getMessage());
        }
        TypedEventBus target = typedBus.get();
        if (target == null) {
            deliverFailed.increment();
            throw new ServiceUnavailableException("Typed Event bus", "packet " + packet.messageId() + " on channel "
                    + packet.channel() + " not delivered to " + topic);
        }
        try {
            target.deliverUntyped(topic, data);
            delivered.increment();
        } catch (RuntimeException e) {
            deliverFailed.increment();
            outLog.warn("Could not deliver packet {} of channel {} to topic {}: {}", packet.messageId(), packet.channel(), topic,
                    e.toString());
            throw e;
        }
    }

    /** Bridges a Typed Event into the bus. Never throws. */
    void receive(String topic, Map<String, ?> data) {
        try {
            receiveUnchecked(topic, data);
        } catch (RuntimeException e) {
            failed(topic, e);
        }
    }

    private void receiveUnchecked(String topic, Map<String, ?> data) {
        TypedConverter c = converter;
        TypedConverter p = previous;
        if (data != null && (c.isOwn(data) || (p != null && p.isOwn(data)))) {
            loopsIgnored.increment();
            return;
        }
        received.increment();
        PhasePacket<Object> packet;
        LogicalTime remote;
        try {
            packet = c.toPacket(topic, data);
            remote = TypedConverter.hlcOf(data);
        } catch (BadEventException e) {
            refused(topic, e);
            return;
        }
        publishInbound(topic, packet, remote);
    }

    /** An event the Typed Event bus had no handler for. */
    void unhandled(String topic) {
        unhandled.increment();
        lastUnhandledTopic = topic;
    }

    String lastUnhandledTopic() {
        return lastUnhandledTopic;
    }
}
