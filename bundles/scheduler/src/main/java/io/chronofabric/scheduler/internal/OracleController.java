package io.chronofabric.scheduler.internal;

import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.time.QuantumOffset;
import java.util.Locale;

/**
 * The time oracle's decision rule: a small state machine with hysteresis over three observed
 * inputs — the deadline-miss rate over the recent window ({@link OracleWindow}), the scheduler's
 * admitted load, and the bus's mean latency over the same window against a target.
 *
 * <ul>
 * <li>Enter MINIMIZE_LATENCY when the miss rate reaches 2% or bus latency exceeds 1.2x the target;
 *     leave it only after three evaluations in a row with a miss rate of at most 0.5% and latency
 *     below 0.8x the target.</li>
 * <li>Otherwise enter MAXIMIZE_THROUGHPUT when load reaches 0.75; leave it when load falls to
 *     0.6 or below.</li>
 * <li>Otherwise BALANCED.</li>
 * </ul>
 * Not thread-safe; the oracle component calls it from one thread at a time.
 */
final class OracleController {

    static final double MISS_ENTER = 0.02;
    static final double MISS_CALM = 0.005;
    static final double LOAD_ENTER = 0.75;
    static final double LOAD_LEAVE = 0.6;
    static final int CALM_EVALUATIONS = 3;

    private OptimizationHint current = OptimizationHint.BALANCED;
    private int calm;
    private String explanation = "no observations yet";

    /**
     * @param load           admitted load 0..1
     * @param jobs           jobs run in the window
     * @param misses         misses in the window
     * @param busLatencyNs   bus mean latency in the window, or -1 when unknown (no bus, nothing delivered)
     * @param latencyTarget  target for the bus latency
     */
    OptimizationHint evaluate(double load, long jobs, long misses, long busLatencyNs, long latencyTarget) {
        double missRate = jobs == 0 ? 0 : (double) misses / jobs;
        boolean latencyHigh = busLatencyNs >= 0 && busLatencyNs > 1.2 * latencyTarget;
        boolean latencyCalm = busLatencyNs < 0 || busLatencyNs < 0.8 * latencyTarget;
        OptimizationHint next = current;
        if (current == OptimizationHint.MINIMIZE_LATENCY) {
            calm = missRate <= MISS_CALM && latencyCalm ? calm + 1 : 0;
            if (calm >= CALM_EVALUATIONS) {
                next = load >= LOAD_ENTER ? OptimizationHint.MAXIMIZE_THROUGHPUT : OptimizationHint.BALANCED;
            }
        } else if (missRate >= MISS_ENTER || latencyHigh) {
            next = OptimizationHint.MINIMIZE_LATENCY;
            calm = 0;
        } else if (current == OptimizationHint.MAXIMIZE_THROUGHPUT) {
            if (load <= LOAD_LEAVE) {
                next = OptimizationHint.BALANCED;
            }
        } else if (load >= LOAD_ENTER) {
            next = OptimizationHint.MAXIMIZE_THROUGHPUT;
        }
        current = next;
        explanation = String.format(Locale.ROOT, "%s: miss rate %.2f%% (%d of %d jobs), load %.2f, bus latency %s",
                next, missRate * 100, misses, jobs, load, busLatencyNs < 0 ? "n/a" : busLatencyNs + " ns (target " + latencyTarget + " ns)");
        return next;
    }

    OptimizationHint current() {
        return current;
    }

    String explanation() {
        return explanation;
    }

    /**
     * The periodic release offset of a task: the configured sinusoid with a phase derived from the
     * task's name (golden-ratio hashing spreads phases evenly), so that tasks with equal periods are
     * shifted by different amounts.
     */
    static QuantumOffset offsetFor(String taskName, double amplitudeNanos, double frequencyHz) {
        if (amplitudeNanos <= 0) {
            return QuantumOffset.NONE;
        }
        long h = (taskName.hashCode() * 0x9E3779B9L) & 0xFFFF_FFFFL;
        double phase = 2 * Math.PI * (h / 4294967296.0);
        return new QuantumOffset(amplitudeNanos, frequencyHz, phase);
    }
}
