package io.chronofabric.api.scheduler;

/** What the time oracle suggests the fabric optimise for now. */
public enum OptimizationHint {
    /** Deadlines are at risk: prefer the fastest path, avoid batching. */
    MINIMIZE_LATENCY,
    /** Load is high but deadlines are met: batch to raise throughput. */
    MAXIMIZE_THROUGHPUT,
    /** Neither pressure dominates. */
    BALANCED
}
