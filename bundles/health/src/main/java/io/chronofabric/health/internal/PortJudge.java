package io.chronofabric.health.internal;

import io.chronofabric.api.core.HealthReport;
import java.util.List;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.Result;

/**
 * Turns what a port's providers report into a Felix HC result: UP is OK, DEGRADED the configured
 * degraded result, DOWN (or a health check that throws) CRITICAL; no provider is the configured
 * absent result for a single-provider port and OK for a plug-in or optional port (consensus comes
 * with the optional cluster feature; a single node is healthy without it).
 */
final class PortJudge {

    /** One provider: its name and its report (null when it reports no health). */
    record Provider(String name, HealthReport report) {
    }

    private final Result.Status absent;
    private final Result.Status degraded;

    PortJudge(Result.Status absent, Result.Status degraded) {
        this.absent = absent;
        this.degraded = degraded;
    }

    static Result.Status parseStatus(String key, String value) {
        String v = value == null ? "" : value.trim().toUpperCase(java.util.Locale.ROOT);
        if (v.equals("WARN")) {
            return Result.Status.WARN;
        }
        if (v.equals("CRITICAL")) {
            return Result.Status.CRITICAL;
        }
        throw new IllegalArgumentException(HealthConfig.PID + " " + key + " must be WARN or CRITICAL, got '" + value + "'");
    }

    Result judge(Ports.Port port, boolean required, List<Provider> providers) {
        FormattingResultLog log = new FormattingResultLog();
        if (providers.isEmpty()) {
            if (port.multiple() && !required) {
                log.info("No {} provider is installed ({})", port.name(), port.type());
            } else if (port.optional() && !required) {
                log.info("No {} service is registered ({}): optional, this node runs alone", port.name(), port.type());
            } else {
                String msg = "No {} service is registered ({}): the port is stopped or not installed";
                if (required || absent == Result.Status.CRITICAL) {
                    log.critical(msg, port.name(), port.type());
                } else {
                    log.warn(msg, port.name(), port.type());
                }
            }
            return new Result(log);
        }
        for (Provider p : providers) {
            HealthReport r = p.report();
            if (r == null) {
                log.info("{}: present, reports no health", p.name());
                continue;
            }
            switch (r.status()) {
                case UP -> log.info("{}: UP {}", p.name(), r.summary());
                case DEGRADED -> {
                    if (degraded == Result.Status.CRITICAL) {
                        log.critical("{}: DEGRADED {}", p.name(), r.summary());
                    } else {
                        log.warn("{}: DEGRADED {}", p.name(), r.summary());
                    }
                }
                case DOWN -> log.critical("{}: DOWN {}", p.name(), r.summary());
            }
            for (String d : r.details()) {
                log.debug("{}: {}", p.name(), d);
            }
        }
        return new Result(log);
    }
}
