package io.chronofabric.telemetry.internal;

/** io.chronofabric:type=Bus: the event bus's statistics (one stats() read per attribute). */
public interface BusMXBean extends PortMXBean {

    long getPublished();

    long getDelivered();

    long getDropped();

    long getExpired();

    long getFailed();

    long getRetried();

    long getDeadLettered();

    long getActiveSubscriptions();

    long getThroughputPerSecond();

    long getP50LatencyNanos();

    long getP99LatencyNanos();

    long getP999LatencyNanos();

    long getPeakLatencyNanos();

    long getRecentP99LatencyNanos();

    int getSubscriptionCount();
}
