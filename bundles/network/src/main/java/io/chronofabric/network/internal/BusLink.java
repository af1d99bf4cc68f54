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
        if (to != NOBODY && !n.send(wire(p, carried(p)), to)) {
            throw new IllegalStateException("network send queue full (max.queued)");
        }
        if (to == -1) {
            long seq = p.messageIdValue() & MessageId.MAX_SEQUENCE;
            sentToAll.set((int) (seq & (SENT_RING - 1)), seq);
        }
    }

    static final int SENT_RING = 1 << 14;
    /** Sequences of this node's packets recently sent to every node (slot = sequence mod ring). */
    private final java.util.concurrent.atomic.AtomicLongArray sentToAll = new java.util.concurrent.atomic.AtomicLongArray(SENT_RING);

    {
        for (int i = 0; i < SENT_RING; i++) {
            sentToAll.set(i, -1);
        }
    }

    /**
     * The causal dependencies the other nodes can see: a dependency on a packet of this node that
     * was not sent to every node (its channel is not bridged) is left out, since no other node
     * will ever deliver it (here it was delivered before this packet was, which is what it
     * promised); dependencies on other nodes' packets, and on ones of this node sent out, are kept
     * in order (the first is request/reply's correlation). A dependency older than the last
     * {@value #SENT_RING} sent is kept (the receiver counts one that old as done).
     */
    long[] carried(PhasePacket<?> p) {
        int n = p.causalDependencyCount();
        if (n == 0) {
            return WirePacket.NO_DEPENDENCIES;
        }
        int local = hlc.nodeId();
        long newest = p.messageIdValue() & MessageId.MAX_SEQUENCE;
        long[] keep = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            long d = p.causalDependency(i);
            long seq = d & MessageId.MAX_SEQUENCE;
            if ((int) (d >>> 48) != local || newest - seq >= SENT_RING || sentToAll.get((int) (seq & (SENT_RING - 1))) == seq) {
                keep[k++] = d;
            }
        }
        return k == n ? keep : java.util.Arrays.copyOf(keep, k);
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

    static WirePacket wire(PhasePacket<?> p, long[] dependencies) {
        DeliveryOptions o = p.delivery();
        return new WirePacket(-1, p.channel(), p.payload(), p.messageIdValue(), p.priority().ordinal(), p.deadlineNanos(),
                p.targetMask(), p.timestamp(), o.isGuaranteed(), o.maxRetries(), o.timeoutNanos(), dependencies, p.trace(), p);
    }

    private static final Priority[] PRIORITIES = Priority.values();

    /** The bus packet a received one becomes (unpublished). */
    PhasePacket<Object> local(WirePacket w) {
        PhasePacket.Builder<Object> b = PhasePacket.builder(w.payload()).channel(w.channel()).source(self)
                .priority(PRIORITIES[Math.max(0, Math.min(PRIORITIES.length - 1, w.priority()))])
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
        PhasePacket<Object> p = null;
        String problem;
        try {
            p = local(w);
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
