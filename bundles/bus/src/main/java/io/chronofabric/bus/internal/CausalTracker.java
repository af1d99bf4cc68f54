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
 * the handler calls it was making. Dependencies on messages of another node, of an earlier bus,
 * or older than the ring remembers, count as done.
 */
final class CausalTracker {

    static final int RING = 1 << 16;

    private record HeldKey(LogicalTime time, long id) implements Comparable<HeldKey> {
        @Override
        public int compareTo(HeldKey o) {
            int c = time.compareTo(o.time);
            return c != 0 ? c : Long.compare(id, o.id);
        }
    }

    private final AtomicLongArray done = new AtomicLongArray(RING);
    private final ConcurrentSkipListMap<HeldKey, PhasePacket<?>> held = new ConcurrentSkipListMap<>();
    /** Sequences that held packets wait for: only their completion is worth waking the housekeeper. */
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

    void markDone(long messageId) {
        long seq = messageId & MessageId.MAX_SEQUENCE;
        int slot = (int) (seq & (RING - 1));
        long cur = done.get(slot);
        while (cur < seq && !done.compareAndSet(slot, cur, seq)) {
            cur = done.get(slot);
        }
        if (heldCount.get() > 0 && wanted.remove(seq)) {
            onReleasable.run();
        }
    }

    /**
     * @param localNode  this bus's node id
     * @param currentSeq the highest sequence issued so far
     */
    boolean isDone(long dependency, int localNode, long currentSeq) {
        if ((int) (dependency >>> 48) != localNode) {
            return true;
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
        for (int i = 0, n = p.causalDependencyCount(); i < n; i++) {
            long d = p.causalDependency(i);
            if (!isDone(d, localNode, currentSeq)) {
                wanted.add(d & MessageId.MAX_SEQUENCE);
            }
        }
        held.put(new HeldKey(p.timestamp(), p.messageIdValue()), p);
        return true;
    }

    int heldCount() {
        return heldCount.get();
    }

    /**
     * Walks held packets in HLC order: those past their deadline go to {@code expired}; those
     * whose dependencies are done go to {@code release}. Single caller at a time.
     *
     * @return the earliest deadline among the packets still held, or {@link RoutingMetadata#NO_DEADLINE}
     */
    long releaseReady(long now, int localNode, long currentSeq, Consumer<PhasePacket<?>> release,
            Consumer<PhasePacket<?>> expired) {
        long earliest = RoutingMetadata.NO_DEADLINE;
        Iterator<Map.Entry<HeldKey, PhasePacket<?>>> it = held.entrySet().iterator();
        while (it.hasNext()) {
            PhasePacket<?> p = it.next().getValue();
            if (p.hasDeadline() && now > p.deadlineNanos()) {
                it.remove();
                heldCount.decrementAndGet();
                expired.accept(p);
            } else if (allDone(p, localNode, currentSeq)) {
                it.remove();
                heldCount.decrementAndGet();
                release.accept(p);
            } else if (p.hasDeadline() && p.deadlineNanos() < earliest) {
                earliest = p.deadlineNanos();
            }
        }
        if (heldCount.get() == 0) {
            wanted.clear();
        }
        return earliest;
    }

    /** Removes and returns every held packet (at shutdown). */
    void drainAll(Consumer<PhasePacket<?>> sink) {
        Map.Entry<HeldKey, PhasePacket<?>> e;
        while ((e = held.pollFirstEntry()) != null) {
            heldCount.decrementAndGet();
            sink.accept(e.getValue());
        }
        wanted.clear();
    }
}
