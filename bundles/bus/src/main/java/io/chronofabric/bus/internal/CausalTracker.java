package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Causal holds. A packet is <em>done</em> when every delivery it was routed to has finished (handed
 * to the handler or receiver, dropped, expired or failed); the last one records the packet's
 * sequence in a ring of {@value #RING} slots (one ordered store, no lock). A packet naming
 * dependencies that are not all done is held, ordered by HLC timestamp, and released in that
 * order once they are, or removed as expired when its deadline passes first.
 *
 * <p>Dependencies on messages of another node, or older than the ring remembers, count as done.
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
    private final AtomicInteger heldCount = new AtomicInteger();
    private final Runnable onReleasable;

    CausalTracker(Runnable onReleasable) {
        this.onReleasable = onReleasable;
        for (int i = 0; i < RING; i++) {
            done.set(i, -1);
        }
    }

    void markDone(long messageId) {
        long seq = messageId & MessageId.MAX_SEQUENCE;
        done.lazySet((int) (seq & (RING - 1)), seq);
        if (heldCount.get() > 0) {
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
    boolean hold(PhasePacket<?> p, int max) {
        if (heldCount.incrementAndGet() > max) {
            heldCount.decrementAndGet();
            return false;
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
     */
    int releaseReady(long now, int localNode, long currentSeq, Consumer<PhasePacket<?>> release,
            Consumer<PhasePacket<?>> expired) {
        int released = 0;
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
                released++;
            }
        }
        return released;
    }

    /** Removes and returns every held packet (at shutdown). */
    void drainAll(Consumer<PhasePacket<?>> sink) {
        Map.Entry<HeldKey, PhasePacket<?>> e;
        while ((e = held.pollFirstEntry()) != null) {
            heldCount.decrementAndGet();
            sink.accept(e.getValue());
        }
    }
}
