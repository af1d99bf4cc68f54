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
        if (to == NOBODY) {
            return;
        }
        // recorded before the send: a dependent forwarded at the same moment from another
        // dispatcher must see where this one goes (else it drops the dependency as sent nowhere
        // and may be delivered remotely before this, chunked or retransmitted, packet)
        long seq = p.messageIdValue() & MessageId.MAX_SEQUENCE;
        int slot = (int) (seq & (SENT_RING - 1));
        long mark = (seq << 16) | ((to + 1) & 0xFFFF);
        sent.set(slot, mark);
        boolean queued = false;
        try {
            queued = n.send(carry(p, n), to);
        } finally {
            if (!queued) {
                sent.compareAndSet(slot, mark, -1); // not sent: sent nowhere, no node will wait for it
            }
        }
        if (!queued) {
            throw new IllegalStateException("network send queue full (max.queued)");
        }
    }

    static final int SENT_RING = 1 << 14;
    /**
     * This node's packets recently sent (slot = sequence mod ring): {@code sequence << 16 | (to + 1)},
     * {@code to} the one node it was sent to or -1 for every node.
     */
    private final java.util.concurrent.atomic.AtomicLongArray sent = new java.util.concurrent.atomic.AtomicLongArray(SENT_RING);

    {
        for (int i = 0; i < SENT_RING; i++) {
            sent.set(i, -1);
        }
    }

    /** Where this node's packet of sequence {@code seq} went: -1 every node, a node id, or {@link #NOBODY} (not sent). */
    private int sentTo(long seq) {
        long v = sent.get((int) (seq & (SENT_RING - 1)));
        return v >>> 16 == seq ? (int) (v & 0xFFFF) - 1 : NOBODY;
    }

    /**
     * The packet as it crosses, with the causal dependencies the other nodes can see and, per
     * dependency, its <em>scope</em>: the one node that may ever receive the packet it names, or
     * every node. A receiving node other than a dependency's scope leaves it out (the packet it
     * names never comes there, so waiting for it would stall the dependent until the bus's remote
     * wait bound; where it does come, the order is kept). Per dependency:
     * <ul>
     * <li>a packet of this node sent to every node: kept, for every node;</li>
     * <li>a packet of this node sent to one node only (a reply, {@link #replyTo}): kept, scoped to
     * that node: the others deliver the dependent at once, that node after the packet;</li>
     * <li>a packet of this node sent nowhere (its channel is not bridged, or a reply to a requester
     * here): left out, since no other node will ever deliver it (here it was delivered before this
     * packet was, which is what it promised);</li>
     * <li>a packet of another node that came here addressed to this node only
     * ({@link NetworkNode#addressedOnlyHere}): left out, as only this node and its origin (which
     * delivered it itself) ever have it;</li>
     * <li>any other packet of another node: kept, for every node.</li>
     * </ul>
     * The order of what is kept is the packet's (the first dependency is request/reply's
     * correlation: on {@link RequestReply#REPLY_CHANNEL} it is always kept). A dependency of this
     * node older than the last {@value #SENT_RING} sent is kept for every node (the receiver counts
     * one that old as done); one of another node whose unicast record was overwritten (the last
     * {@value NetworkNode#UNICAST_RING} sequences of its origin) is kept too, and then waits for the bound as before.
     */
    WirePacket carry(PhasePacket<?> p, NetworkNode node) {
        int n = p.causalDependencyCount();
        if (n == 0) {
            return wire(p, WirePacket.NO_DEPENDENCIES, null);
        }
        int local = hlc.nodeId();
        boolean reply = RequestReply.REPLY_CHANNEL.equals(p.channel());
        long newest = p.messageIdValue() & MessageId.MAX_SEQUENCE;
        long[] keep = new long[n];
        int[] scopes = null;
        int k = 0;
        for (int i = 0; i < n; i++) {
            long d = p.causalDependency(i);
            int scope = WirePacket.EVERY_NODE;
            boolean kept;
            if ((int) (d >>> 48) == local) {
                long seq = d & MessageId.MAX_SEQUENCE;
                int to = newest - seq >= SENT_RING ? -1 : sentTo(seq);
                kept = to != NOBODY;
                scope = kept ? to : scope;
            } else {
                kept = node == null || !node.addressedOnlyHere(d);
            }
            if (kept || (reply && i == 0)) {
                if (scope != WirePacket.EVERY_NODE && scopes == null) {
                    scopes = new int[n];
                    java.util.Arrays.fill(scopes, WirePacket.EVERY_NODE);
                }
                if (scopes != null) {
                    scopes[k] = scope;
                }
                keep[k++] = d;
            }
        }
        return wire(p, k == n ? keep : java.util.Arrays.copyOf(keep, k),
                scopes == null ? null : k == n ? scopes : java.util.Arrays.copyOf(scopes, k));
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
        return wire(p, dependencies, null);
    }

    static WirePacket wire(PhasePacket<?> p, long[] dependencies, int[] scopes) {
        DeliveryOptions o = p.delivery();
        return new WirePacket(-1, p.channel(), p.payload(), p.messageIdValue(), p.priority().ordinal(), p.deadlineNanos(),
                p.targetMask(), p.timestamp(), o.isGuaranteed(), o.maxRetries(), o.timeoutNanos(), dependencies, p.trace(), p,
                scopes);
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
