package io.chronofabric.bridge.common.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.HlcClock;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The inbound half both bridges share, once an event has become a packet: the HLC receive of the
 * event's time, the publish, and the counts and rate-limited logs of what went wrong (never thrown
 * into the peer's delivery thread). Thread-safe and lock-free; the bus and the clock are read
 * through suppliers (the component's dynamic references).
 */
public abstract class InboundPath {

    public final LongAdder received = new LongAdder();
    public final LongAdder published = new LongAdder();
    public final LongAdder loopsIgnored = new LongAdder();
    public final LongAdder badEvents = new LongAdder();
    public final LongAdder busUnavailable = new LongAdder();
    public final LongAdder publishFailed = new LongAdder();
    public final LongAdder hlcMerged = new LongAdder();
    public final LongAdder hlcRefused = new LongAdder();

    protected final Supplier<EventBus> bus;
    protected final Supplier<HlcClock> clock;
    protected final RateLimitedLog badLog;
    protected final RateLimitedLog busLog;
    private final String ignored;
    private final String notBridged;
    private final String hlcRefusedFormat;
    private final String noBus;
    private final String busDown;
    private final String deadLettered;
    private final String refusedByBus;
    private volatile String lastBadEvent;

    /**
     * @param log  the bridge's logger
     * @param noun what the peer's events are called, e.g. {@code Event}, {@code Typed Event}
     */
    protected InboundPath(Logger log, String noun, Supplier<EventBus> bus, Supplier<HlcClock> clock) {
        this.bus = bus;
        this.clock = clock;
        badLog = new RateLimitedLog(log, 10_000);
        busLog = new RateLimitedLog(log, 10_000);
        String a = (noun.startsWith("E") ? "an " : "a ") + noun;
        ignored = "Ignored " + a + " on topic {}: {}";
        notBridged = noun + " on topic {} not bridged: {}";
        hlcRefusedFormat = "HLC time of " + a + " on topic {} refused: {}";
        noBus = "No bus: dropped " + a + " on topic {} for channel {}";
        busDown = "Bus unavailable: dropped " + a + " on topic {} for channel {}: {}";
        deadLettered = noun + " on topic {} published on channel {} but not delivered everywhere (dead-lettered): {}";
        refusedByBus = noun + " on topic {} refused by the bus on channel {}: {}";
    }

    /** The last bad event (topic and reason), or null. */
    public final String lastBadEvent() {
        return lastBadEvent;
    }

    /** Counts and logs an event that could not become a packet. */
    protected final void refused(String topic, BadEventException e) {
        badEvents.increment();
        lastBadEvent = topic + ": " + e.getMessage();
        badLog.warn(ignored, topic, e.getMessage());
    }

    /** Counts and logs a defect met while bridging an event (ours or a service's). */
    protected final void failed(String topic, RuntimeException e) {
        publishFailed.increment();
        busLog.warn(notBridged, topic, e.toString());
    }

    /**
     * Merges {@code remote} (the event's HLC time, or null) into the clock, then publishes the
     * packet. A refused remote time is counted and the packet still goes (stamped with local time);
     * no bus, a refused publish or a partial delivery are counted and logged, never thrown.
     */
    protected final void publishInbound(String topic, PhasePacket<Object> packet, LogicalTime remote) {
        if (remote != null) {
            HlcClock hlc = clock.get();
            if (hlc != null) {
                try {
                    hlc.update(remote);
                    hlcMerged.increment();
                } catch (TemporalViolationException e) {
                    hlcRefused.increment();
                    badLog.warn(hlcRefusedFormat, topic, e.getMessage());
                }
            }
        }
        EventBus b = bus.get();
        if (b == null) {
            busUnavailable.increment();
            busLog.warn(noBus, topic, packet.channel());
            return;
        }
        try {
            b.publish(packet);
            published.increment();
        } catch (ServiceUnavailableException | ResourceExhaustedException e) {
            busUnavailable.increment();
            busLog.warn(busDown, topic, packet.channel(), e.getMessage());
        } catch (DeliveryFailedException e) {
            publishFailed.increment();
            busLog.warn(deadLettered, topic, packet.channel(), e.getMessage());
        } catch (TemporalViolationException | IllegalArgumentException | IllegalStateException e) {
            publishFailed.increment();
            busLog.warn(refusedByBus, topic, packet.channel(), e.getMessage());
        }
    }
}
