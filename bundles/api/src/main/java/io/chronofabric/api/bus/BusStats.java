package io.chronofabric.api.bus;

/**
 * A snapshot of bus counters and latency (publish to handler entry, nanoseconds). Counters and
 * the plain latency figures cover the bus's life; the {@code recent} ones and the throughput cover
 * the sliding window, which is what health checks and the time oracle judge.
 *
 * @param published           packets accepted by publish calls
 * @param delivered           deliveries to subscribers (one packet to three subscribers counts 3)
 * @param dropped             best-effort deliveries dropped on a full queue
 * @param expired             deliveries skipped because the deadline had passed
 * @param failed              deliveries that failed (handler threw, filter threw, retries exhausted)
 * @param retried             retry attempts of guaranteed deliveries
 * @param deadLettered        packets sent to the dead-letter channel
 * @param activeSubscriptions subscriptions now
 * @param avgLatencyNanos     mean latency
 * @param peakLatencyNanos    largest latency seen
 * @param p50LatencyNanos     median latency
 * @param p99LatencyNanos     99th percentile
 * @param p999LatencyNanos    99.9th percentile
 * @param throughputPerSecond deliveries per second over the sliding window
 * @param recentAvgLatencyNanos mean latency over the sliding window (0 when nothing was delivered in it)
 * @param recentP99LatencyNanos 99th percentile over the sliding window
 * @param windowNanos         length of the sliding window
 * @param takenAtNanos        when the snapshot was taken (time-source nanoseconds)
 */
public record BusStats(long published, long delivered, long dropped, long expired, long failed, long retried,
        long deadLettered, long activeSubscriptions, long avgLatencyNanos, long peakLatencyNanos, long p50LatencyNanos,
        long p99LatencyNanos, long p999LatencyNanos, long throughputPerSecond, long recentAvgLatencyNanos,
        long recentP99LatencyNanos, long windowNanos, long takenAtNanos) {
}
