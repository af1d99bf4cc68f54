package io.chronofabric.scheduler.internal;

/**
 * The scheduler's jobs and misses over the oracle's last N evaluations (a sliding window), from the
 * cumulative counters the scheduler publishes: each evaluation adds the differences since the last
 * one, the oldest falls out. So a burst of misses long ago has left the window, and a fresh one
 * weighs as much as the window's other jobs, no matter how long the system has run. (The bus's
 * latency needs no such window here: the bus publishes its own recent mean.) Fixed arrays.
 * Not thread-safe; the oracle calls it from one thread at a time.
 */
final class OracleWindow {

    private long[] jobs;
    private long[] misses;
    private int size;
    private int head; // next slot to write
    private boolean haveScheduler;
    private long lastJobs;
    private long lastMisses;

    OracleWindow(int intervals) {
        resize(intervals);
    }

    /** Keeps the newest samples that fit. */
    void resize(int intervals) {
        if (jobs != null && jobs.length == intervals) {
            return;
        }
        long[] j = new long[intervals];
        long[] m = new long[intervals];
        int keep = jobs == null ? 0 : Math.min(size, intervals);
        for (int k = 0; k < keep; k++) { // oldest kept first
            int from = Math.floorMod(head - keep + k, jobs.length);
            j[k] = jobs[from];
            m[k] = misses[from];
        }
        jobs = j;
        misses = m;
        size = keep;
        head = keep % intervals;
    }

    int intervals() {
        return jobs.length;
    }

    /** Evaluations the window holds now (up to {@link #intervals()}). */
    int size() {
        return size;
    }

    /**
     * Adds one evaluation's observations.
     *
     * @param schedulerJobs   the scheduler's jobs ended since its start (met + missed + failed), or -1 without a scheduler
     * @param schedulerMisses the scheduler's misses since its start
     */
    void observe(long schedulerJobs, long schedulerMisses) {
        long j = 0;
        long m = 0;
        if (schedulerJobs >= 0) {
            if (haveScheduler && schedulerJobs >= lastJobs && schedulerMisses >= lastMisses) {
                j = schedulerJobs - lastJobs;
                m = schedulerMisses - lastMisses;
            } else if (haveScheduler) { // a new scheduler instance counts from 0
                j = schedulerJobs;
                m = schedulerMisses;
            }
            haveScheduler = true;
            lastJobs = schedulerJobs;
            lastMisses = schedulerMisses;
        } else {
            haveScheduler = false;
        }
        jobs[head] = j;
        misses[head] = m;
        head = (head + 1) % jobs.length;
        size = Math.min(size + 1, jobs.length);
    }

    long jobs() {
        long n = 0;
        for (int k = 0; k < size; k++) {
            n += jobs[slot(k)];
        }
        return n;
    }

    long misses() {
        long n = 0;
        for (int k = 0; k < size; k++) {
            n += misses[slot(k)];
        }
        return n;
    }

    /** The k-th sample in the window, oldest first. */
    private int slot(int k) {
        return Math.floorMod(head - size + k, jobs.length);
    }
}
