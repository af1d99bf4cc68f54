package io.chronofabric.network.internal;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.HlcClock;
import java.util.concurrent.atomic.AtomicLong;

/** An HLC (Kulkarni et al.) for tests: wall clock plus a skew, the send and receive rules, synchronized. */
final class TestHlc implements HlcClock {

    private final int node;
    private final long maxOffsetNanos;
    private final AtomicLong refused = new AtomicLong();
    volatile long skewNanos;
    private long l;
    private long c;

    TestHlc(int node, long maxOffsetNanos) {
        this.node = node;
        this.maxOffsetNanos = maxOffsetNanos;
    }

    private long pt() {
        return System.currentTimeMillis() * 1_000_000L + skewNanos;
    }

    @Override
    public synchronized LogicalTime now() {
        return now(pt());
    }

    @Override
    public synchronized LogicalTime now(long physicalNanos) {
        long lOld = l;
        l = Math.max(lOld, physicalNanos);
        c = l == lOld ? c + 1 : 0;
        return new LogicalTime(l, c, node);
    }

    @Override
    public synchronized LogicalTime update(LogicalTime m) {
        long pt = pt();
        if (m.physical() - pt > maxOffsetNanos) {
            refused.incrementAndGet();
            throw new TemporalViolationException("remote physical time " + m.physical() + " is ahead of local " + pt
                    + " by more than " + maxOffsetNanos + " ns");
        }
        long lOld = l;
        l = Math.max(Math.max(lOld, m.physical()), pt);
        if (l == lOld && l == m.physical()) {
            c = Math.max(c, m.logical()) + 1;
        } else if (l == lOld) {
            c = c + 1;
        } else if (l == m.physical()) {
            c = m.logical() + 1;
        } else {
            c = 0;
        }
        return new LogicalTime(l, c, node);
    }

    @Override
    public synchronized LogicalTime current() {
        return new LogicalTime(l, c, node);
    }

    @Override
    public int nodeId() {
        return node;
    }

    @Override
    public long maxOffsetNanos() {
        return maxOffsetNanos;
    }

    @Override
    public long refusedUpdates() {
        return refused.get();
    }
}
