package io.chronofabric.api.adp;

import java.util.Objects;

/**
 * One place as ADP sees it now ({@link AdaptiveProcessor#places()}). Immutable.
 *
 * @param name             the place's name
 * @param kind             {@code scheduler}, {@code local}, {@code compute}, or the
 *                         {@link WorkPlace#kind()} of a whiteboard place
 * @param eligible         whether ADP may choose it now (present, available, not excluded,
 *                         under its in-flight cap)
 * @param status           {@code ok}, or why not / how it is constrained (e.g.
 *                         {@code excluded by governance: ...}, {@code throttled to 8 in flight})
 * @param choices          units ADP sent there (restored across restarts)
 * @param meanReward       mean reward of the finished ones, in [0, 1]; NaN before the first
 * @param meanLatencyNanos mean latency of the finished ones; NaN before the first
 * @param failures         units that failed there, deadline misses included
 * @param deadlineMisses   units whose deadline passed there
 * @param inFlight         units running there now
 * @param queueLength      what the place reports waiting besides (0 when unknown)
 */
public record PlaceInfo(String name, String kind, boolean eligible, String status, long choices, double meanReward,
        double meanLatencyNanos, long failures, long deadlineMisses, int inFlight, int queueLength) {

    public PlaceInfo {
        Objects.requireNonNull(name, "Place name");
        Objects.requireNonNull(kind, "Place kind");
        Objects.requireNonNull(status, "Place status");
    }
}
