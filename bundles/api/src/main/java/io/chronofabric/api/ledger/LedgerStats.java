package io.chronofabric.api.ledger;

import java.util.Arrays;

/**
 * What a ledger has done since it was opened: append calls, entries, forces to disk, and the
 * append latency as a histogram with fixed bucket bounds (from the call to its return, so lock
 * waits and the fsync are included).
 *
 * @param appendCalls calls of {@code append} and {@code appendBatch} that returned normally
 * @param entries entries those calls appended
 * @param fsyncs forces of entry data to disk (0 when the policy leaves it to the OS)
 * @param latencyUpperBoundsNanos upper bounds of the latency buckets, ascending; the last bucket
 *        ({@code latencyCounts[latencyUpperBoundsNanos.length]}) holds everything above
 * @param latencyCounts calls per bucket (not cumulative), one more than there are bounds
 * @param latencySumNanos total time of those calls
 */
public record LedgerStats(long appendCalls, long entries, long fsyncs, long[] latencyUpperBoundsNanos,
        long[] latencyCounts, long latencySumNanos) {

    /** What a ledger that keeps no statistics reports. */
    public static final LedgerStats NONE = new LedgerStats(0, 0, 0, new long[0], new long[] {0}, 0);

    public LedgerStats {
        latencyUpperBoundsNanos = latencyUpperBoundsNanos.clone();
        latencyCounts = latencyCounts.clone();
        if (latencyCounts.length != latencyUpperBoundsNanos.length + 1) {
            throw new IllegalArgumentException("LedgerStats needs one count per bound plus one for the overflow bucket, got "
                    + latencyUpperBoundsNanos.length + " bounds and " + latencyCounts.length + " counts");
        }
        for (int i = 1; i < latencyUpperBoundsNanos.length; i++) {
            if (latencyUpperBoundsNanos[i] <= latencyUpperBoundsNanos[i - 1]) {
                throw new IllegalArgumentException("LedgerStats bucket bounds must ascend, got "
                        + Arrays.toString(latencyUpperBoundsNanos));
            }
        }
    }

    @Override
    public long[] latencyUpperBoundsNanos() {
        return latencyUpperBoundsNanos.clone();
    }

    @Override
    public long[] latencyCounts() {
        return latencyCounts.clone();
    }

    /**
     * The smallest bucket bound at or above the given quantile of the recorded latencies (an upper
     * estimate), {@link Long#MAX_VALUE} when it falls in the overflow bucket, -1 when nothing was
     * recorded.
     */
    public long latencyQuantileUpperNanos(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        long total = 0;
        for (long c : latencyCounts) {
            total += c;
        }
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < latencyCounts.length; i++) {
            seen += latencyCounts[i];
            if (seen >= rank) {
                return i < latencyUpperBoundsNanos.length ? latencyUpperBoundsNanos[i] : Long.MAX_VALUE;
            }
        }
        return Long.MAX_VALUE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerStats s && s.appendCalls == appendCalls && s.entries == entries && s.fsyncs == fsyncs
                && s.latencySumNanos == latencySumNanos && Arrays.equals(s.latencyUpperBoundsNanos, latencyUpperBoundsNanos)
                && Arrays.equals(s.latencyCounts, latencyCounts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(latencyCounts) * 31 + Long.hashCode(appendCalls);
    }

    @Override
    public String toString() {
        return "LedgerStats[appendCalls=" + appendCalls + ", entries=" + entries + ", fsyncs=" + fsyncs + ", p99<="
                + latencyQuantileUpperNanos(0.99) + " ns]";
    }
}
