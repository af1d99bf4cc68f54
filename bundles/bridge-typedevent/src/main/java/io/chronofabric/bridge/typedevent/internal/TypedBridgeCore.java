package io.chronofabric.bridge.typedevent.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.bridge.common.internal.BadEventException;
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
final class TypedBridgeCore {

    private static final Logger LOG = LoggerFactory.getLogger(TypedBridgeCore.class);

    final LongAdder delivered = new LongAdder();
    final LongAdder deliverFailed = new LongAdder();
    final LongAdder unconvertible = new LongAdder();
    final LongAdder echoesSuppressed = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder published = new LongAdder();
    final LongAdder loopsIgnored = new LongAdder();
    final LongAdder badEvents = new LongAdder();
    final LongAdder busUnavailable = new LongAdder();
    final LongAdder publishFailed = new LongAdder();
    final LongAdder hlcMerged = new LongAdder();
    final LongAdder hlcRefused = new LongAdder();
    final LongAdder unhandled = new LongAdder();

    private final Supplier<EventBus> bus;
    private final Supplier<HlcClock> clock;
    private final Supplier<TypedEventBus> typedBus;
    private final RateLimitedLog badLog = new RateLimitedLog(LOG, 10_000);
    private final RateLimitedLog busLog = new RateLimitedLog(LOG, 10_000);
    private final RateLimitedLog outLog = new RateLimitedLog(LOG, 10_000);
    private volatile TypedConverter converter;
    private volatile TypedConverter previous;
    private volatile String lastBadEvent;
    private volatile String lastUnhandledTopic;

    TypedBridgeCore(TypedConverter converter, Supplier<EventBus> bus, Supplier<HlcClock> clock, Supplier<TypedEventBus> typedBus) {
        this.converter = Objects.requireNonNull(converter, "converter");
        this.bus = bus;
        this.clock = clock;
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
            publishFailed.increment();
            busLog.warn("Typed Event on topic {} not bridged: {}", topic, e.toString());
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
            badEvents.increment();
            lastBadEvent = topic + ": " + e.getMessage();
            badLog.warn("Ignored a Typed Event on topic {}: {}", topic, e.getMessage());
            return;
        }
        if (remote != null) {
            HlcClock hlc = clock.get();
            if (hlc != null) {
                try {
                    hlc.update(remote);
                    hlcMerged.increment();
                } catch (TemporalViolationException e) {
                    hlcRefused.increment();
                    badLog.warn("HLC time of a Typed Event on topic {} refused: {}", topic, e.getMessage());
                }
            }
        }
        EventBus b = bus.get();
        if (b == null) {
            busUnavailable.increment();
            busLog.warn("No bus: dropped a Typed Event on topic {} for channel {}", topic, packet.channel());
            return;
        }
        try {
            b.publish(packet);
            published.increment();
        } catch (ServiceUnavailableException | ResourceExhaustedException e) {
            busUnavailable.increment();
            busLog.warn("Bus unavailable: dropped a Typed Event on topic {} for channel {}: {}", topic, packet.channel(),
                    e.getMessage());
        } catch (DeliveryFailedException e) {
            publishFailed.increment();
            busLog.warn("Typed Event on topic {} published on channel {} but not delivered everywhere (dead-lettered): {}", topic,
                    packet.channel(), e.getMessage());
        } catch (TemporalViolationException | IllegalArgumentException | IllegalStateException e) {
            publishFailed.increment();
            busLog.warn("Typed Event on topic {} refused by the bus on channel {}: {}", topic, packet.channel(), e.getMessage());
        }
    }

    /** An event the Typed Event bus had no handler for. */
    void unhandled(String topic) {
        unhandled.increment();
        lastUnhandledTopic = topic;
    }

    String lastBadEvent() {
        return lastBadEvent;
    }

    String lastUnhandledTopic() {
        return lastUnhandledTopic;
    }
}
