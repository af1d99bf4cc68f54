package io.chronofabric.time.internal;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Hybrid Logical Clock of Kulkarni, Demirbas, Madeppa, Avva and Leone, "Logical Physical
 * Clocks" (OPODIS 2014), figure 5, without locks: the state (l, c) is an immutable
 * {@link LogicalTime} swapped by compare-and-set, so every issued timestamp is strictly greater
 * than the one before it, whichever thread issued it.
 *
 * <p>The paper's counter is unbounded; ours stops at {@code maxLogical}. When the counter would
 * pass it, l moves forward by one nanosecond and c restarts at 0, which keeps the order (and
 * l stays within one ns per overflow of the paper's l).
 *
 * <p>Optionally guarded by a persisted ceiling ({@link #guard}): a timestamp whose physical part
 * is at or above the ceiling is handed out only after the {@link CeilingKeeper} has raised it,
 * so that after a crash a clock restored at the ceiling stays above everything issued. The
 * check costs one volatile read; without a guard the ceiling is {@link Long#MAX_VALUE}.
 */
public final class HlcClockImpl implements HlcClock {

    private final AtomicReference<LogicalTime> last;
    private final long maxLogical;
    private final AtomicLong refused = new AtomicLong();
    private volatile TimeSource source;
    private volatile int nodeId;
    private volatile long maxOffsetNanos;
    private volatile String lastRefusal = "";
    private volatile long ceiling = Long.MAX_VALUE;
    private volatile CeilingKeeper keeper;

    /** Raises the persisted ceiling; see {@link #guard}. */
    interface CeilingKeeper {
        /**
         * Called on the issuing thread before a timestamp with physical part {@code physical} at or
         * above {@link #ceiling()} is returned; returns once a ceiling above it is durable (then
         * {@link #ceiling(long)} has been raised past it), or when that failed and the keeper
         * decided to let the timestamp out anyway.
         */
        void reach(long physical);
    }

    public HlcClockImpl(TimeSource source, int nodeId, long maxOffsetNanos) {
        this(source, nodeId, maxOffsetNanos, LogicalTime.MAX_LOGICAL);
    }

    /** With a smaller counter bound, so tests can reach the overflow rule. */
    HlcClockImpl(TimeSource source, int nodeId, long maxOffsetNanos, long maxLogical) {
        if (maxLogical < 1 || maxLogical > LogicalTime.MAX_LOGICAL) {
            throw new IllegalArgumentException("maxLogical " + maxLogical + " is out of range 1.." + LogicalTime.MAX_LOGICAL);
        }
        this.source = Objects.requireNonNull(source, "source");
        setNodeId(nodeId);
        setMaxOffsetNanos(maxOffsetNanos);
        this.maxLogical = maxLogical;
        this.last = new AtomicReference<>(new LogicalTime(0, 0, nodeId));
    }

    /** Send or local event: l := max(l, pt); c := (l unchanged) ? c + 1 : 0. */
    @Override
    public LogicalTime now() {
        return now(source.nowNanos());
    }

    @Override
    public LogicalTime now(long pt) {
        int spins = 1;
        while (true) {
            LogicalTime cur = last.get();
            LogicalTime next = pt > cur.physical()
                    ? advance(cur, pt, 0)
                    : advance(cur, cur.physical(), cur.logical() + 1);
            if (next != null) {
                return next;
            }
            spins = backOff(spins);
        }
    }

    /**
     * Receive event of message m: l := max(l, l_m, pt); c is max(c, c_m) + 1 when l equals both
     * old l and l_m, c + 1 when it equals only old l, c_m + 1 when it equals only l_m, else 0.
     * A remote l_m more than the maximum offset ahead of pt is refused before anything changes.
     */
    @Override
    public LogicalTime update(LogicalTime remote) {
        Objects.requireNonNull(remote, "remote timestamp");
        final TimeSource ts = source;
        final long bound = maxOffsetNanos;
        long ptCheck = ts.nowNanos();
        if (remote.physical() - ptCheck > bound) {
            refused.incrementAndGet();
            String msg = "remote timestamp " + remote + " from node " + remote.nodeId() + " is "
                    + (remote.physical() - ptCheck) + " ns ahead of local time " + ptCheck
                    + " ns; the maximum tolerated offset is " + bound + " ns";
            lastRefusal = msg;
            throw new TemporalViolationException(msg);
        }
        int spins = 1;
        while (true) {
            LogicalTime cur = last.get();
            long pt = ts.nowNanos();
            long lOld = cur.physical();
            long lm = remote.physical();
            long l = Math.max(Math.max(lOld, lm), pt);
            long c;
            if (l == lOld && l == lm) {
                c = Math.max(cur.logical(), remote.logical()) + 1;
            } else if (l == lOld) {
                c = cur.logical() + 1;
            } else if (l == lm) {
                c = remote.logical() + 1;
            } else {
                c = 0;
            }
            LogicalTime next = advance(cur, l, c);
            if (next != null) {
                return next;
            }
            spins = backOff(spins);
        }
    }

    /**
     * Swaps (l, c) in for {@code cur}, with the counter bound applied (a counter past it moves l on
     * by one ns and restarts at 0, which keeps the order). Returns null when another thread won.
     */
    private LogicalTime advance(LogicalTime cur, long l, long c) {
        LogicalTime next = c > maxLogical ? new LogicalTime(l + 1, 0, nodeId) : new LogicalTime(l, c, nodeId);
        if (!last.compareAndSet(cur, next)) {
            return null;
        }
        if (next.physical() >= ceiling) {
            keeper.reach(next.physical());
        }
        return next;
    }

    /**
     * Guards the clock with a persisted ceiling: from now on every timestamp handed out has a
     * physical part below {@link #ceiling()}, or {@code keeper} was asked to raise it first.
     * {@code initialCeiling} is normally {@link Long#MIN_VALUE}, so the first timestamp waits
     * for a ceiling on disk.
     */
    void guard(CeilingKeeper keeper, long initialCeiling) {
        this.keeper = Objects.requireNonNull(keeper, "keeper");
        this.ceiling = initialCeiling;
    }

    /** The persisted ceiling the guard checks against ({@link Long#MAX_VALUE} when unguarded). */
    long ceiling() {
        return ceiling;
    }

    /**
     * Sets the ceiling. Raising it is allowed only once a ceiling at least that high is durable;
     * lowering it (to force the slow path) is always safe.
     */
    void ceiling(long physical) {
        this.ceiling = physical;
    }

    /**
     * After a lost race: waits {@code spins} spin hints and returns the next wait (doubling, at most
     * 64), so the winner can issue several timestamps while the line stays in its cache instead of
     * every attempt moving it between cores.
     */
    private static int backOff(int spins) {
        for (int i = 0; i < spins; i++) {
            Thread.onSpinWait();
        }
        return Math.min(spins << 1, 64);
    }

    @Override
    public LogicalTime current() {
        return last.get();
    }

    /**
     * Raises the clock so that every later timestamp is greater than {@code floor} (used to
     * restore the persisted high-water mark). Never lowers it.
     */
    public void restore(LogicalTime floor) {
        while (true) {
            LogicalTime cur = last.get();
            if (cur.compareClock(floor) >= 0) {
                return;
            }
            if (last.compareAndSet(cur, new LogicalTime(floor.physical(), floor.logical(), nodeId))) {
                return;
            }
        }
    }

    public void setSource(TimeSource newSource) {
        this.source = Objects.requireNonNull(newSource, "source");
    }

    public TimeSource source() {
        return source;
    }

    public void setNodeId(int id) {
        if (id < 0 || id > LogicalTime.MAX_NODE_ID) {
            throw new IllegalArgumentException("node.id=" + id + " is out of range 0.." + LogicalTime.MAX_NODE_ID);
        }
        this.nodeId = id;
    }

    public void setMaxOffsetNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("Maximum offset " + nanos + " ns is negative");
        }
        this.maxOffsetNanos = nanos;
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    @Override
    public long maxOffsetNanos() {
        return maxOffsetNanos;
    }

    @Override
    public long refusedUpdates() {
        return refused.get();
    }

    /** The message of the last refusal, or empty. */
    public String lastRefusal() {
        return lastRefusal;
    }
}
