package io.chronofabric.telemetry.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;

/** The health attributes every port MBean shows. */
final class PortHealth {

    private PortHealth() {
    }

    static HealthReport of(Object port) {
        if (port instanceof HealthIndicator h) {
            try {
                return h.health();
            } catch (RuntimeException e) {
                return HealthReport.down("health check threw " + e, java.util.List.of());
            }
        }
        return null;
    }

    static String status(Object port) {
        HealthReport r = of(port);
        return r == null ? "n/a" : r.status().name();
    }

    static String summary(Object port) {
        HealthReport r = of(port);
        return r == null ? "reports no health" : r.summary();
    }

    static String[] details(Object port) {
        HealthReport r = of(port);
        return r == null ? new String[0] : r.details().toArray(String[]::new);
    }
}
