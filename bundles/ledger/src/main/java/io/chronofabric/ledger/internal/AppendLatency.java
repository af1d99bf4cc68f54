package io.chronofabric.ledger.internal;

import io.chronofabric.api.ledger.LedgerStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Append counters and a fixed-bucket latency histogram; recording takes no lock. */
final class AppendLatency {

    static final long[] BOUNDS_NANOS = {10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000,
        5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 1_000_000_000};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_NANOS.length + 1);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong sumNanos = new AtomicLong();

    void record(int entryCount, long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        calls.incrementAndGet();
        entries.addAndGet(entryCount);
        sumNanos.addAndGet(Math.max(0, nanos));
    }

    LedgerStats snapshot(long fsyncs) {
        long[] c = new long[counts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
        }
        return new LedgerStats(calls.get(), entries.get(), fsyncs, BOUNDS_NANOS, c, sumNanos.get());
    }
}
