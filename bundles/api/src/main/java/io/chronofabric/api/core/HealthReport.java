package io.chronofabric.api.core;

import java.util.List;
import java.util.Objects;

/**
 * What a service says about its own health.
 *
 * @param status  the coarse status, never null
 * @param summary one line for a status table, never null
 * @param details readable findings (warnings, measured values against targets), never null
 */
public record HealthReport(HealthStatus status, String summary, List<String> details) {

    public HealthReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(summary, "summary");
        details = List.copyOf(details);
    }

    public static HealthReport up(String summary) {
        return new HealthReport(HealthStatus.UP, summary, List.of());
    }

    public static HealthReport degraded(String summary, List<String> details) {
        return new HealthReport(HealthStatus.DEGRADED, summary, details);
    }

    public static HealthReport down(String summary, List<String> details) {
        return new HealthReport(HealthStatus.DOWN, summary, details);
    }
}
