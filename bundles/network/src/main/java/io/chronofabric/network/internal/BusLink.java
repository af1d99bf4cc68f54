package io.chronofabric.network.internal;

import io.chronofabric.api.bus.BusBridge;
import io.chronofabric.api.bus.DeliveryGuarantee;
import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.time.HlcClock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between one node's bus and its {@link NetworkNode}, free of OSGi: {@link #forward} (a
 * same-thread handler of each bridged channel) sends what was published on this node;
 * {@link #deliver} publishes what arrived under its origin id and HLC timestamp
 * ({@link BusBridge#publishForeign}); {@link #deadLetter} puts what could not cross into the
 * bus's durable dead-letter log with the reason.
 */
final class BusLink {

    private static final Logger LOG = LoggerFactory.getLogger(BusLink.class);

    private final BusBridge bus;
    private final HlcClock hlc;
    private final ComponentId self;
    private volatile NetworkNode node;

    /**
     * @param bus  the local bus's bridge side
     * @param hlc  the local HLC (its node id is the one in this node's message ids)
     * @param self the source component of packets published from other nodes
     */
    BusLink(BusBridge bus, HlcClock hlc, ComponentId self) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.hlc = Objects.requireNonNull(hlc, "hlc");
        this.self = Objects.requireNonNull(self, "self");
    }

    void attach(NetworkNode n) {
        this.node = n;
    }

    void forward(PhasePacket<Object> p) {
        if (p.routing().source().equals(self) || (int) (p.messageIdValue() >>> 48) != hlc.nodeId()) {
            return; // came from another node: its origin sends it to every node
        }
        NetworkNode n = node;
        if (n == null) {
            return;
        }
        int to = replyTo(p, n, hlc.nodeId());
        if (to != NOBODY && !n.send(wire(p), to)) {
            throw new IllegalStateException("network send queue full (max.queued)");
        }
    }

    static final int NOBODY = -2;

    /**
     * A reply (on {@link RequestReply#REPLY_CHANNEL}, correlated by its first causal dependency)
     * goes only to the requester's node, the node in that id's top bits: to that peer, or nowhere
     * when the requester is on this node. This needs the network node ids to be the HLC node ids
     * (as in the default configuration); on a node where they differ replies go to every node.
     * Everything else goes to every node.
     *
     * @return the peer, -1 for every peer, or {@link #NOBODY}
     */
    static int replyTo(PhasePacket<?> p, NetworkNode n, int hlcNode) {
        if (p.causalDependencyCount() == 0 || !RequestReply.REPLY_CHANNEL.equals(p.channel()) || n.nodeId() != hlcNode) {
            return -1;
        }
        int requester = (int) (p.causalDependency(0) >>> 48);
        return requester == hlcNode ? NOBODY : n.hasPeer(requester) ? requester : -1;
    }

    static WirePacket wire(PhasePacket<?> p) {
        DeliveryOptions o = p.delivery();
        return new WirePacket(-1, p.channel(), p.payload(), p.messageIdValue(), p.priority().ordinal(), p.deadlineNanos(),
                p.targetMask(), p.timestamp(), o.isGuaranteed(), o.maxRetries(), o.timeoutNanos(),
                p.causalDependencyCount() == 0 ? WirePacket.NO_DEPENDENCIES : p.causalDependencies(), p.trace(), p);
    }

    /** The bus packet a received one becomes (unpublished). */
    PhasePacket<Object> local(WirePacket w) {
        PhasePacket.Builder<Object> b = PhasePacket.builder(w.payload()).channel(w.channel()).source(self)
                .priority(Priority.values()[Math.max(0, Math.min(Priority.values().length - 1, w.priority()))])
                .targets(w.targetMask());
        if (w.deadlineNanos() != Long.MAX_VALUE && w.deadlineNanos() >= 0) {
            b.deadline(w.deadlineNanos());
        }
        if (w.guaranteed()) {
            b.delivery(new DeliveryOptions(DeliveryGuarantee.GUARANTEED, w.maxRetries(), w.timeoutNanos()));
        }
        if (w.dependencies().length > 0) {
            b.dependsOn(w.dependencies());
        }
        if (w.trace() != null) {
            b.trace(w.trace());
        }
        return b.build();
    }

    /** Publishes a received packet under its origin id; what cannot be published goes to the dead-letter log. */
    void deliver(NetworkNode.Delivered d) {
        WirePacket w = d.packet();
        BusBridge bridge = bus;
        PhasePacket<Object> p = local(w);
        String problem;
        try {
            bridge.publishForeign(p, w.messageId(), w.timestamp());
            return;
        } catch (DeliveryFailedException e) {
            return; // dead-lettered by the bus for the subscriber it could not reach
        } catch (TemporalViolationException e) {
            if (!w.guaranteed()) {
                return; // counted expired by the bus; best effort
            }
            problem = "from node " + w.origin() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            problem = "from node " + w.origin() + " not published here: " + e;
        }
        deadLetterReceived(bridge, w, p, problem);
    }

    private void deadLetterReceived(BusBridge bridge, WirePacket w, PhasePacket<Object> rebuilt, String reason) {
        LOG.warn("Network dead letter {} on {}: {}", new MessageId(w.messageId()), w.channel(), reason);
        try {
            PhasePacket<Object> p = rebuilt != null && !rebuilt.isStamped() ? rebuilt
                    : PhasePacket.builder(w.payload()).channel(w.channel()).source(self).build();
            bridge.deadLetterForeign(p, w.messageId(), w.timestamp(), reason);
        } catch (RuntimeException e) {
            LOG.error("Network dead letter {} on {} not recorded ({}): {}", new MessageId(w.messageId()), w.channel(), reason,
                    e.toString());
        }
    }

    /** A packet that could not cross: one sent from here (unacknowledged) or one received (not publishable). */
    void deadLetter(WirePacket w, String reason) {
        BusBridge bridge = bus;
        if (w.local() instanceof PhasePacket<?> sent) {
            LOG.warn("Network dead letter {} on {}: {}", new MessageId(w.messageId()), w.channel(), reason);
            try {
                bridge.deadLetter(sent, reason);
            } catch (RuntimeException e) {
                LOG.error("Network dead letter {} on {} not recorded ({}): {}", new MessageId(w.messageId()), w.channel(), reason,
                        e.toString());
            }
        } else {
            deadLetterReceived(bridge, w, null, reason);
        }
    }
}
