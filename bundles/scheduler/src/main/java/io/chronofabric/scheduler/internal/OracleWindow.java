package io.chronofabric.scheduler.internal;

import java.util.Locale;

/**
 * The time oracle's inputs over its last N evaluations (a sliding window), from the cumulative
 * counters the scheduler and the bus publish: each evaluation adds the differences since the last
 * one, the oldest falls out. So a burst of misses long ago has left the window, and a fresh one
 * weighs as much as the window's other jobs, no matter how long the system has run.
 *
 * <p>The bus publishes only its mean latency since start ({@code avgLatencyNanos}, truncated to
 * whole nanoseconds) and its delivery count; the latency sum of an interval is recovered as
 * {@code avg2 * delivered2 - avg1 * delivered1}. Truncation makes that sum uncertain by less than
 * {@code delivered1 + delivered2} ns, so the window's mean is uncertain by less than the sum of
 * those bounds over the window's deliveries. When that bound exceeds a fifth of the latency target
 * (a long-running bus with a quiet window) the window's latency counts as unknown rather than as
 * a guess. Not thread-safe; the oracle calls it from one thread at a time.
 */
final class OracleWindow {

    /** Window latency is unknown when its uncertainty exceeds this share of the target. */
    static final double MAX_LATENCY_UNCERTAINTY = 0.2;

    private long[] jobs;
    private long[] misses;
    private double[] latencySum;
    private long[] deliveries;
    private double[] uncertainty;
    private int size;
    private int head; // next slot to write
    private boolean haveScheduler;
    private long lastJobs;
    private long lastMisses;
    private boolean haveBus;
    private long lastDelivered;
    private long lastAvg;
    private String latencyNote = "";

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
        double[] l = new double[intervals];
        long[] d = new long[intervals];
        double[] u = new double[intervals];
        int keep = jobs == null ? 0 : Math.min(size, intervals);
        for (int k = 0; k < keep; k++) { // oldest kept first
            int from = Math.floorMod(head - keep + k, jobs.length);
            j[k] = jobs[from];
            m[k] = misses[from];
            l[k] = latencySum[from];
            d[k] = deliveries[from];
            u[k] = uncertainty[from];
        }
        jobs = j;
        misses = m;
        latencySum = l;
        deliveries = d;
        uncertainty = u;
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
     * @param busDelivered    the bus's deliveries since its start, or -1 without a bus
     * @param busAvgLatency   the bus's mean latency since its start
     */
    void observe(long schedulerJobs, long schedulerMisses, long busDelivered, long busAvgLatency) {
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
        double sum = 0;
        long d = 0;
        double u = 0;
        if (busDelivered >= 0) {
            if (haveBus && busDelivered >= lastDelivered) {
                d = busDelivered - lastDelivered;
                sum = (double) busAvgLatency * busDelivered - (double) lastAvg * lastDelivered;
                u = lastDelivered + busDelivered;
            } else if (haveBus) { // a new bus counts from 0
                d = busDelivered;
                sum = (double) busAvgLatency * busDelivered;
                u = busDelivered;
            }
            haveBus = true;
            lastDelivered = busDelivered;
            lastAvg = busAvgLatency;
        } else {
            haveBus = false;
        }
        jobs[head] = j;
        misses[head] = m;
        latencySum[head] = d == 0 ? 0 : sum;
        deliveries[head] = d;
        uncertainty[head] = d == 0 ? 0 : u;
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

    /**
     * The bus's mean latency over the window, or -1 when no bus is present, nothing was
     * delivered in the window, or the figure cannot be resolved (see the class comment).
     */
    long latencyNanos(long targetNanos) {
        double sum = 0;
        long d = 0;
        double u = 0;
        for (int k = 0; k < size; k++) {
            int i = slot(k);
            sum += latencySum[i];
            d += deliveries[i];
            u += uncertainty[i];
        }
        if (!haveBus) {
            latencyNote = "";
            return -1;
        }
        if (d == 0) {
            latencyNote = " (no deliveries in the window)";
            return -1;
        }
        double bound = u / d;
        if (bound > MAX_LATENCY_UNCERTAINTY * targetNanos) {
            latencyNote = String.format(Locale.ROOT, " (window mean of %d deliveries unresolvable: +-%.0f ns from the bus's since-start mean)",
                    d, bound);
            return -1;
        }
        latencyNote = "";
        return Math.max(0, Math.round(sum / d));
    }

    /** Why the last {@link #latencyNanos} returned -1 while a bus is present; empty otherwise. */
    String latencyNote() {
        return latencyNote;
    }

    /** The k-th sample in the window, oldest first. */
    private int slot(int k) {
        return Math.floorMod(head - size + k, jobs.length);
    }
}
