package io.chronofabric.bridge.eventadmin.internal;

import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.bridge.common.internal.BadEventException;
import io.chronofabric.bridge.common.internal.BridgeProperties;
import io.chronofabric.bridge.common.internal.InboundPath;
import io.chronofabric.bridge.common.internal.RateLimitedLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bridge does per packet and per Event, apart from OSGi registrations: forwarding,
 * loop prevention, publishing, counting. Thread-safe and lock-free; the services are read
 * through suppliers (the component's dynamic references), so a bus or clock swapped at run time
 * is used from the next packet on.
 *
 * <p>Inbound ({@link #receive}) never throws into Event Admin: an Event that cannot become a
 * packet, a bus that is absent or restarting, a refused publish, all are counted and logged
 * (rate limited) with the topic. Outbound ({@link #forward}) runs on a bus dispatcher and only
 * posts (asynchronous); a failure to post is counted and thrown, so the bus dead-letters the
 * packet rather than losing it.
 */
final class BridgeCore extends InboundPath {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeCore.class);

    final LongAdder posted = new LongAdder();
    final LongAdder postFailed = new LongAdder();
    final LongAdder echoesSuppressed = new LongAdder();
    final LongAdder snapshots = new LongAdder();

    private final Supplier<EventAdmin> eventAdmin;
    private final RateLimitedLog postLog = new RateLimitedLog(LOG, 10_000);
    private volatile EventConverter converter;
    // the converter before the last reconfiguration: packets it made may still be in flight
    private volatile EventConverter previous;

    BridgeCore(EventConverter converter, Supplier<EventBus> bus, Supplier<HlcClock> clock, Supplier<EventAdmin> eventAdmin) {
        super(LOG, "Event", bus, clock);
        this.converter = Objects.requireNonNull(converter, "converter");
        this.eventAdmin = eventAdmin;
    }

    EventConverter converter() {
        return converter;
    }

    void converter(EventConverter next) {
        previous = converter;
        converter = Objects.requireNonNull(next, "converter");
    }

    /**
     * Posts {@code packet} as an Event on {@code topic}, unless this bridge made the packet from
     * an Event (then it is only counted).
     *
     * @throws ServiceUnavailableException if no Event Admin is bound
     * @throws RuntimeException what Event Admin threw; either way the bus dead-letters the packet
     */
    void forward(PhasePacket<?> packet, String topic) {
        EventConverter c = converter;
        EventConverter p = previous;
        if (c.isOwn(packet) || (p != null && p.isOwn(packet))) {
            echoesSuppressed.increment();
            return;
        }
        EventAdmin admin = eventAdmin.get();
        if (admin == null) {
            postFailed.increment();
            throw new ServiceUnavailableException("Event Admin", "packet " + packet.messageId() + " on channel "
                    + packet.channel() + " not posted to " + topic);
        }
        try {
            admin.postEvent(c.toEvent(packet, topic));
            posted.increment();
        } catch (RuntimeException e) {
            postFailed.increment();
            postLog.warn("Could not post packet {} of channel {} to topic {}: {}", packet.messageId(), packet.channel(), topic,
                    e.toString());
            throw e;
        }
    }

    /** Bridges an Event into the bus. Never throws. */
    void receive(Event event) {
        try {
            receiveUnchecked(event);
        } catch (RuntimeException e) {
            // a defect of ours or of a service; still never thrown into Event Admin
            failed(event.getTopic(), e);
        }
    }

    private void receiveUnchecked(Event event) {
        EventConverter c = converter;
        EventConverter p = previous;
        if (c.isOwn(event) || (p != null && p.isOwn(event))) {
            loopsIgnored.increment();
            return;
        }
        received.increment();
        PhasePacket<Object> packet;
        LogicalTime remote;
        try {
            packet = c.toPacket(event);
            remote = c.hlcOf(event);
        } catch (BadEventException e) {
            refused(event.getTopic(), e);
            return;
        }
        publishInbound(event.getTopic(), packet, remote);
    }

    /** Numeric snapshot of the bridge counters and, when a bus is bound, its statistics. */
    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "chronofabric");
        m.put("bridge.posted", posted.sum());
        m.put("bridge.post.failed", postFailed.sum());
        m.put("bridge.echoes.suppressed", echoesSuppressed.sum());
        m.put("bridge.received", received.sum());
        m.put("bridge.published", published.sum());
        m.put("bridge.loops.ignored", loopsIgnored.sum());
        m.put("bridge.bad.events", badEvents.sum());
        m.put("bridge.bus.unavailable", busUnavailable.sum());
        m.put("bridge.publish.failed", publishFailed.sum());
        m.put("bridge.hlc.refused", hlcRefused.sum());
        EventBus b = bus.get();
        if (b != null) {
            try {
                BusStats s = b.stats();
                m.put("bus.published", s.published());
                m.put("bus.delivered", s.delivered());
                m.put("bus.dropped", s.dropped());
                m.put("bus.expired", s.expired());
                m.put("bus.failed", s.failed());
                m.put("bus.dead.lettered", s.deadLettered());
                m.put("bus.subscriptions", s.activeSubscriptions());
                m.put("bus.latency.avg.ns", s.avgLatencyNanos());
                m.put("bus.latency.p99.ns", s.p99LatencyNanos());
                m.put("bus.throughput.per.s", s.throughputPerSecond());
            } catch (RuntimeException e) {
                // a bus that is stopping: the bridge counters alone
            }
        }
        HlcClock hlc = clock.get();
        if (hlc != null) {
            m.put("hlc.refused.updates", hlc.refusedUpdates());
        }
        return m;
    }

    /** Posts {@link #snapshot()} to {@code topic}; no Event Admin = nothing posted. */
    void postSnapshot(String topic) {
        EventAdmin admin = eventAdmin.get();
        if (admin == null) {
            return;
        }
        Map<String, Object> m = snapshot();
        m.put(BridgeProperties.ORIGIN, converter.origin());
        m.put(EventConstants.TIMESTAMP, System.currentTimeMillis());
        admin.postEvent(new Event(topic, m));
        snapshots.increment();
    }
}
