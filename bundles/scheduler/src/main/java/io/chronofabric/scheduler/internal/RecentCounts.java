package io.chronofabric.scheduler.internal;

import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.scheduler.TaskOutcome;

/**
 * Job outcomes over a sliding window of monotonic time, in {@value #BUCKETS} buckets: a window of
 * W covers the current bucket plus the nine before it, so between 0.9 W and W of history. Fixed
 * arrays, nothing allocated per record. Not thread-safe: the scheduler calls it under its lock.
 *
 * <p>{@link #recordLater} counts an outcome without a clock reading: it enters the window at the
 * next reading anyone passes in ({@link #record}, {@link #flush}, {@link #snapshot}), in that
 * reading's bucket. The scheduler uses it for jobs run by {@code processTemporalQueue} (a clock
 * reading costs more than the rest of recording a job), and flushes at the readings it takes
 * anyway: every worker wake-up (at least every 50 ms while idle), every job a worker ends, every
 * statistics call.
 */
final class RecentCounts {

    static final int BUCKETS = 10;

    private long windowNanos;
    private long bucketNanos;
    private final long[] epoch = new long[BUCKETS];
    private final long[] jobs = new long[BUCKETS];
    private final long[] missed = new long[BUCKETS];
    private final long[] failed = new long[BUCKETS];
    // the bucket of the latest record, so a record in the same bucket needs no division
    private long cachedEpoch = Long.MIN_VALUE;
    private long cachedStart = Long.MAX_VALUE;
    private int cachedIndex;
    // outcomes recorded without a reading, not yet in a bucket
    private long pendingJobs;
    private long pendingMissed;
    private long pendingFailed;

    RecentCounts(long windowNanos) {
        resize(windowNanos);
    }

    /** Starts a new window of this length (the old counts are dropped when the length changes). */
    void resize(long windowNanos) {
        if (windowNanos == this.windowNanos) {
            return;
        }
        this.windowNanos = windowNanos;
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        java.util.Arrays.fill(epoch, Long.MIN_VALUE);
        cachedEpoch = Long.MIN_VALUE;
        cachedStart = Long.MAX_VALUE;
    }

    void record(long nowNanos, TaskOutcome.Status status) {
        if (status == TaskOutcome.Status.CANCELLED || status == TaskOutcome.Status.ABANDONED) {
            return;
        }
        flush(nowNanos);
        int i = bucket(nowNanos);
        if (i < 0) {
            return;
        }
        jobs[i]++;
        switch (status) {
            case LATE, SKIPPED -> missed[i]++;
            case FAILED -> failed[i]++;
            default -> {
            }
        }
    }

    /** Counts an outcome now; it enters the window at the next reading passed in (see the class comment). */
    void recordLater(TaskOutcome.Status status) {
        switch (status) {
            case CANCELLED, ABANDONED -> {
                return;
            }
            case LATE, SKIPPED -> pendingMissed++;
            case FAILED -> pendingFailed++;
            default -> {
            }
        }
        pendingJobs++;
    }

    /** Whether outcomes wait for a reading. */
    boolean hasPending() {
        return pendingJobs != 0;
    }

    /** Puts the outcomes recorded without a reading into the bucket of {@code nowNanos}. */
    void flush(long nowNanos) {
        if (pendingJobs == 0) {
            return;
        }
        int i = bucket(nowNanos);
        if (i >= 0) {
            jobs[i] += pendingJobs;
            missed[i] += pendingMissed;
            failed[i] += pendingFailed;
        }
        pendingJobs = 0;
        pendingMissed = 0;
        pendingFailed = 0;
    }

    /** The bucket of {@code nowNanos}, started afresh if it held an older epoch; -1 if a whole window old. */
    private int bucket(long nowNanos) {
        long e;
        int i;
        if (nowNanos >= cachedStart && nowNanos - cachedStart < bucketNanos) {
            e = cachedEpoch; // the same bucket as the last record: no division
            i = cachedIndex;
        } else {
            e = Math.floorDiv(nowNanos, bucketNanos);
            i = (int) Math.floorMod(e, BUCKETS);
            if (e >= cachedEpoch) {
                cachedEpoch = e;
                cachedIndex = i;
                cachedStart = e * bucketNanos;
            }
        }
        if (epoch[i] > e) {
            return -1; // recorded late (a job that ended outside the lock), and a whole window old: out of every window from now on
        }
        if (epoch[i] != e) {
            epoch[i] = e;
            jobs[i] = 0;
            missed[i] = 0;
            failed[i] = 0;
        }
        return i;
    }

    /** The window as of {@code nowNanos} (outcomes waiting for a reading enter it first). */
    SchedulerStats.Window snapshot(long nowNanos) {
        flush(nowNanos);
        long e = Math.floorDiv(nowNanos, bucketNanos);
        long j = 0;
        long m = 0;
        long f = 0;
        for (int i = 0; i < BUCKETS; i++) {
            // buckets of the last BUCKETS epochs only; one from a later epoch (monotonic time never goes back) counts nothing
            if (epoch[i] <= e && epoch[i] > e - BUCKETS) {
                j += jobs[i];
                m += missed[i];
                f += failed[i];
            }
        }
        return new SchedulerStats.Window(windowNanos, j, m, f);
    }
}
