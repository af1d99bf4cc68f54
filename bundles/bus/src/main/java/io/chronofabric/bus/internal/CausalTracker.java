package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.bus.RoutingMetadata;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Causal holds. A packet is <em>done</em> when every delivery it was routed to has finished (handed
 * to the handler or receiver, dropped, expired or failed); the last one records the packet's
 * sequence in a ring of {@value #RING} slots, keeping the larger value when two race (a
 * compare-and-set maximum, so a late finisher never overwrites a newer sequence). A packet naming
 * dependencies that are not all done is held, ordered by HLC timestamp, and released in that order
 * once they are, or removed as expired when its deadline passes first.
 *
 * <p>Tracking costs each delivery an atomic count-down and a ring write, so it is off until the
 * first packet with dependencies is published ({@code causal.tracking=auto}) or on from the start
 * ({@code always}). Packets published before tracking started count as done once a barrier
 * passes: every queue has been consumed past what it held then, and every dispatcher has finished
 * the handler calls it was making. Dependencies on messages of an earlier bus, or older than the
 * ring remembers, count as done.
 *
 * <p><b>Messages of other nodes</b> (published here by a bridge under their origin id,
 * {@link io.chronofabric.api.bus.BusBridge}) are always counted down, tracking on or not, into a
 * ring of {@value #REMOTE_RING} slots per origin node with the highest sequence done from it; a
 * dependency on one is done once it has been delivered here, not before (a message newer than the
 * highest done from its node is not done; one more than the ring older than it is). A packet
 * waiting for a message of another node waits at most {@link #remoteWaitNanos} when it has no
 * deadline (the message may never arrive: its node dead-lettered it, or its channel is not
 * bridged), then expires as a held packet does.
 */
final class CausalTracker {

    static final int RING = 1 << 16;
    static final int REMOTE_RING = 1 << 14;
    static final long DEFAULT_REMOTE_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    /** What one origin node's messages delivered here. */
    private static final class RemoteRing {
        final AtomicLongArray done = new AtomicLongArray(REMOTE_RING);
        final java.util.concurrent.atomic.AtomicLong highest = new java.util.concurrent.atomic.AtomicLong(-1);

        RemoteRing() {
            for (int i = 0; i < REMOTE_RING; i++) {
                done.set(i, -1);
            }
        }

        void mark(long seq) {
            int slot = (int) (seq & (REMOTE_RING - 1));
            long cur = done.get(slot);
            while (cur < seq && !done.compareAndSet(slot, cur, seq)) {
                cur = done.get(slot);
            }
            long h = highest.get();
            while (h < seq && !highest.compareAndSet(h, seq)) {
                h = highest.get();
            }
        }

        boolean isDone(long seq) {
            long h = highest.get();
            if (seq > h) {
                return false;
            }
            if (h - seq >= REMOTE_RING) {
                return true;
            }
            return done.get((int) (seq & (REMOTE_RING - 1))) >= seq;
        }
    }

    /** A held packet, since when (time-source ns), and whether it waits for another node's message. */
    private record Held(PhasePacket<?> packet, long since, boolean remote) {
    }

    private record HeldKey(LogicalTime time, long id) implements Comparable<HeldKey> {
        @Override
        public int compareTo(HeldKey o) {
            int c = time.compareTo(o.time);
            return c != 0 ? c : Long.compare(id, o.id);
        }
    }

    private final AtomicLongArray done = new AtomicLongArray(RING);
    private final ConcurrentSkipListMap<HeldKey, Held> held = new ConcurrentSkipListMap<>();
    /** Per origin node id (grown copy-on-write when a node first appears; null: nothing from it yet). */
    private volatile RemoteRing[] remotes = new RemoteRing[0];
    private volatile long remoteWaitNanos = DEFAULT_REMOTE_WAIT_NANOS;
    /** Message ids that held packets wait for: only their completion is worth waking the housekeeper. */
    private final Set<Long> wanted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger heldCount = new AtomicInteger();
    private final Runnable onReleasable;
    private final long firstSequence;
    private volatile boolean tracking;
    private volatile long trackedFrom = Long.MAX_VALUE;
    /** Until it passes, packets published before tracking started are not known to be done. */
    private volatile java.util.function.BooleanSupplier barrier;

    /**
     * @param firstSequence the first sequence this bus issues (earlier ones belong to earlier buses)
     * @param always        track from the start rather than from the first packet with dependencies
     */
    CausalTracker(Runnable onReleasable, long firstSequence, boolean always) {
        this.onReleasable = onReleasable;
        this.firstSequence = firstSequence;
        for (int i = 0; i < RING; i++) {
            done.set(i, -1);
        }
        if (always) {
            startTracking(firstSequence);
        }
    }

    boolean isTracking() {
        return tracking;
    }

    /** Switches tracking on; packets with a sequence from {@code next} on are tracked. */
    synchronized void startTracking(long next) {
        startTracking(() -> next, null);
    }

    /**
     * Switches tracking on. Packets published earlier were not counted down: they count as done
     * once {@code earlier} says every queue and dispatcher has moved past what it held when
     * tracking started.
     */
    synchronized void startTracking(java.util.function.LongSupplier next, java.util.function.Supplier<java.util.function.BooleanSupplier> earlier) {
        if (!tracking) {
            tracking = true; // first, so every packet stamped after the read below is counted down
            barrier = earlier == null ? null : earlier.get();
            trackedFrom = next.getAsLong();
        }
    }

    boolean barrierPending() {
        return barrier != null;
    }

    private boolean earlierDone() {
        java.util.function.BooleanSupplier b = barrier;
        if (b == null) {
            return true;
        }
        if (b.getAsBoolean()) {
            barrier = null;
            return true;
        }
        return false;
    }

    /** How long a packet without a deadline waits for a message of another node (tests shorten it). */
    void remoteWaitNanos(long nanos) {
        this.remoteWaitNanos = nanos;
    }

    long remoteWaitNanos() {
        return remoteWaitNanos;
    }

    private RemoteRing remote(int node) {
        RemoteRing[] r = remotes;
        return node < r.length ? r[node] : null;
    }

    private synchronized RemoteRing remoteOrNew(int node) {
        RemoteRing[] r = remotes;
        if (node < r.length && r[node] != null) {
            return r[node];
        }
        RemoteRing[] next = java.util.Arrays.copyOf(r, Math.max(r.length, node + 1));
        RemoteRing ring = new RemoteRing();
        next[node] = ring;
        remotes = next;
        return ring;
    }

    /** A packet is done: every delivery it was routed to here has finished. */
    void markDone(long messageId, int localNode) {
        int node = (int) (messageId >>> 48);
        if (node != localNode) {
            RemoteRing r = remote(node);
            (r != null ? r : remoteOrNew(node)).mark(messageId & MessageId.MAX_SEQUENCE);
            if (heldCount.get() > 0 && wanted.remove(messageId)) {
                onReleasable.run();
            }
            return;
        }
        long seq = messageId & MessageId.MAX_SEQUENCE;
        int slot = (int) (seq & (RING - 1));
        long cur = done.get(slot);
        while (cur < seq && !done.compareAndSet(slot, cur, seq)) {
            cur = done.get(slot);
        }
        if (heldCount.get() > 0 && wanted.remove(messageId)) {
            onReleasable.run();
        }
    }

    /**
     * @param localNode  this bus's node id
     * @param currentSeq the highest sequence issued so far
     */
    boolean isDone(long dependency, int localNode, long currentSeq) {
        if ((int) (dependency >>> 48) != localNode) {
            RemoteRing r = remote((int) (dependency >>> 48));
            return r != null && r.isDone(dependency & MessageId.MAX_SEQUENCE);
        }
        long seq = dependency & MessageId.MAX_SEQUENCE;
        if (seq < firstSequence) {
            return true;
        }
        if (seq < trackedFrom) {
            return earlierDone();
        }
        if (seq > currentSeq) {
            return false;
        }
        if (currentSeq - seq >= RING) {
            return true;
        }
        return done.get((int) (seq & (RING - 1))) >= seq;
    }

    boolean allDone(PhasePacket<?> p, int localNode, long currentSeq) {
        for (int i = 0, n = p.causalDependencyCount(); i < n; i++) {
            if (!isDone(p.causalDependency(i), localNode, currentSeq)) {
                return false;
            }
        }
        return true;
    }

    /** @return false when {@code max} packets are already held */
    boolean hold(PhasePacket<?> p, int max, int localNode, long currentSeq) {
        if (heldCount.incrementAndGet() > max) {
            heldCount.decrementAndGet();
            return false;
        }
        boolean remote = false;
        for (int i = 0, n = p.causalDependencyCount(); i < n; i++) {
            long d = p.causalDependency(i);
            if (!isDone(d, localNode, currentSeq)) {
                wanted.add(d);
                remote |= (int) (d >>> 48) != localNode;
            }
        }
        held.put(new HeldKey(p.timestamp(), p.messageIdValue()), new Held(p, p.publishedAtNanos(), remote));
        return true;
    }

    int heldCount() {
        return heldCount.get();
    }

    /**
     * Walks held packets in HLC order: those past their deadline, or waiting for another node's
     * message longer than the remote wait bound, go to {@code expired} with the reason; those whose
     * dependencies are done go to {@code release}. Single caller at a time.
     *
     * @return the earliest deadline (or remote wait bound) among the packets still held, or
     *         {@link RoutingMetadata#NO_DEADLINE}
     */
    long releaseReady(long now, int localNode, long currentSeq, Consumer<PhasePacket<?>> release,
            java.util.function.BiConsumer<PhasePacket<?>, String> expired) {
        long earliest = RoutingMetadata.NO_DEADLINE;
        long wait = remoteWaitNanos;
        Iterator<Map.Entry<HeldKey, Held>> it = held.entrySet().iterator();
        while (it.hasNext()) {
            Held h = it.next().getValue();
            PhasePacket<?> p = h.packet();
            boolean late = p.hasDeadline() && now > p.deadlineNanos();
            boolean done = !late && allDone(p, localNode, currentSeq);
            if (late) {
                it.remove();
                heldCount.decrementAndGet();
                expired.accept(p, "deadline passed while waiting for its causal dependencies" + pending(p, localNode, currentSeq));
            } else if (!done && h.remote() && !p.hasDeadline() && now - h.since() > wait) {
                it.remove();
                heldCount.decrementAndGet();
                expired.accept(p, "waited " + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(wait) + " ms (the remote wait "
                        + "bound) for causal dependencies not delivered on this node" + pending(p, localNode, currentSeq));
            } else if (done) {
                it.remove();
                heldCount.decrementAndGet();
                release.accept(p);
            } else {
                long until = p.hasDeadline() ? p.deadlineNanos() : h.remote() ? h.since() + wait : RoutingMetadata.NO_DEADLINE;
                if (until < earliest) {
                    earliest = until;
                }
            }
        }
        if (heldCount.get() == 0) {
            wanted.clear();
        }
        return earliest;
    }

    /** ": dependencies a:b, c:d not done" for the reason of an expiry. */
    private String pending(PhasePacket<?> p, int localNode, long currentSeq) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = p.causalDependencyCount(); i < n; i++) {
            long d = p.causalDependency(i);
            if (!isDone(d, localNode, currentSeq)) {
                b.append(b.length() == 0 ? " (not done: " : ", ").append(new MessageId(d));
                if ((int) (d >>> 48) != localNode) {
                    b.append(" of node ").append(d >>> 48);
                }
            }
        }
        return b.length() == 0 ? "" : b.append(')').toString();
    }

    /** Removes and returns every held packet (at shutdown). */
    void drainAll(Consumer<PhasePacket<?>> sink) {
        Map.Entry<HeldKey, Held> e;
        while ((e = held.pollFirstEntry()) != null) {
            heldCount.decrementAndGet();
            sink.accept(e.getValue().packet());
        }
        wanted.clear();
    }
}
