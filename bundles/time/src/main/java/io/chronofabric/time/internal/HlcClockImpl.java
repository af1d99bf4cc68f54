package io.chronofabric.time.internal;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.util.Objects;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Hybrid Logical Clock of Kulkarni, Demirbas, Madeppa, Avva and Leone, "Logical Physical
 * Clocks" (OPODIS 2014), figure 5, without locks: the state (l, c) is one long swapped by
 * compare-and-set, {@code (l - base) << 32 | c}, so every issued timestamp is strictly greater
 * than the one before it, whichever thread issued it, and issuing one allocates nothing
 * ({@link #nowInto}). The base is the {@link Epoch}'s: when l leaves its 2^30 ns (1.07 s) range the
 * epoch is retired (its state swapped to {@link #RETIRED}, so no thread can still swap it) and a
 * new one starts at l; threads that meet a retired epoch wait the few instructions until its
 * successor is published. Retired is any negative state: a fetch-and-add that lands on it keeps it
 * negative.
 *
 * <p>When physical time has not passed l (the clock is ahead, or many timestamps fall in one
 * nanosecond: the contended case), the send rule is just c + 1, so the clock takes it with one
 * fetch-and-add, which never fails and never retries: threads contending for the clock each pay
 * one atomic add instead of losing compare-and-set races. It is used while c is more than 2^20
 * below the counter bound (so concurrent adds cannot pass it); near the bound the
 * compare-and-set path applies the overflow rule.
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

    /** The state of an epoch once retired: nothing can be swapped in for it. */
    private static final long RETIRED = Long.MIN_VALUE;
    /**
     * Range of l - base in an epoch: 2^30, half of what 31 bits hold, so a counter carry from the
     * fast path (c passing 2^32 - 1 carries into l: the overflow rule) can never reach the sign bit.
     */
    private static final long RANGE = 1L << 30;
    private static final long LOGICAL_MASK = 0xFFFF_FFFFL;
    /** The fast path (fetch-and-add) stays this far below the counter bound, so no add can pass it. */
    private static final long FAST_MARGIN = 1L << 20;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Epoch.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A base for l and the packed state relative to it. */
    private static final class Epoch {
        final long base;
        @SuppressWarnings("unused") // through STATE
        volatile long state;

        Epoch(long base, long logical) {
            this.base = base;
            this.state = logical;
        }
    }

    private volatile Epoch epoch;
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
        this.epoch = new Epoch(0, 0);
    }

    /** Send or local event: l := max(l, pt); c := (l unchanged) ? c + 1 : 0. */
    @Override
    public LogicalTime now() {
        return now(source.nowNanos());
    }

    @Override
    public LogicalTime now(long pt) {
        long[] out = new long[3];
        nowInto(pt, out);
        return new LogicalTime(out[0], out[1], (int) out[2]);
    }

    @Override
    public void nowInto(long pt, long[] out) {
        if (pt < 0) {
            throw new IllegalArgumentException("physical time " + pt + " ns is negative");
        }
        int spins = 1;
        while (true) {
            Epoch e = epoch;
            long s = (long) STATE.getVolatile(e);
            if (s < 0) {
                Thread.yield(); // retired: its successor is being published
                continue;
            }
            long lOld = e.base + (s >>> 32);
            if (pt <= lOld && (s & LOGICAL_MASK) < maxLogical - FAST_MARGIN) {
                long prev = (long) STATE.getAndAdd(e, 1L);
                if (prev >= 0) {
                    long next = prev + 1; // the state after our add: ours alone, whatever others did in between
                    long l = e.base + (next >>> 32);
                    if (l >= ceiling) {
                        keeper.reach(l);
                    }
                    out[0] = l;
                    out[1] = next & LOGICAL_MASK;
                    out[2] = nodeId;
                    return;
                }
                continue; // retired meanwhile (still negative after our add): go to the next epoch
            }
            long l = pt > lOld ? pt : lOld;
            long c = pt > lOld ? 0 : (s & LOGICAL_MASK) + 1;
            if (advance(e, s, l, c, out)) {
                return;
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
        long[] out = new long[3];
        while (true) {
            Epoch e = epoch;
            long s = (long) STATE.getVolatile(e);
            if (s < 0) {
                Thread.yield();
                continue;
            }
            long pt = ts.nowNanos();
            long lOld = e.base + (s >>> 32);
            long cOld = s & LOGICAL_MASK;
            long lm = remote.physical();
            long l = Math.max(Math.max(lOld, lm), pt);
            long c;
            if (l == lOld && l == lm) {
                c = Math.max(cOld, remote.logical()) + 1;
            } else if (l == lOld) {
                c = cOld + 1;
            } else if (l == lm) {
                c = remote.logical() + 1;
            } else {
                c = 0;
            }
            if (advance(e, s, l, c, out)) {
                return new LogicalTime(out[0], out[1], (int) out[2]);
            }
            spins = backOff(spins);
        }
    }

    /**
     * Swaps (l, c) in for state {@code s} of epoch {@code e}, with the counter bound applied (a
     * counter past it moves l on by one ns and restarts at 0, which keeps the order), and writes
     * the issued timestamp to {@code out}. Returns false when another thread won. An l outside the
     * epoch's range retires the epoch and starts the next one at l.
     */
    private boolean advance(Epoch e, long s, long l, long c, long[] out) {
        return advance(e, s, l, c, out, true);
    }

    /** @param issuing whether a timestamp is handed out (then the ceiling guard applies; a restore issues none) */
    private boolean advance(Epoch e, long s, long l, long c, long[] out, boolean issuing) {
        if (c > maxLogical) {
            l++;
            c = 0;
        }
        long d = l - e.base;
        if (d >= 0 && d < RANGE) {
            if (!STATE.compareAndSet(e, s, (d << 32) | c)) {
                return false;
            }
        } else {
            if (!STATE.compareAndSet(e, s, RETIRED)) {
                return false;
            }
            epoch = new Epoch(l, c);
        }
        if (issuing && l >= ceiling) {
            keeper.reach(l);
        }
        out[0] = l;
        out[1] = c;
        out[2] = nodeId;
        return true;
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
        while (true) {
            Epoch e = epoch;
            long s = (long) STATE.getVolatile(e);
            if (s >= 0) {
                return new LogicalTime(e.base + (s >>> 32), s & LOGICAL_MASK, nodeId);
            }
            Thread.yield();
        }
    }

    /**
     * Raises the clock so that every later timestamp is greater than {@code floor} (used to
     * restore the persisted high-water mark). Never lowers it.
     */
    public void restore(LogicalTime floor) {
        long[] out = new long[3];
        while (true) {
            Epoch e = epoch;
            long s = (long) STATE.getVolatile(e);
            if (s < 0) {
                Thread.yield();
                continue;
            }
            long lOld = e.base + (s >>> 32);
            long cOld = s & LOGICAL_MASK;
            if (lOld > floor.physical() || (lOld == floor.physical() && cOld >= floor.logical())) {
                return;
            }
            if (advance(e, s, floor.physical(), floor.logical(), out, false)) {
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
