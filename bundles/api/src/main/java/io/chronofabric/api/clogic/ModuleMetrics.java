package io.chronofabric.api.clogic;

import java.util.Map;

/**
 * Named numbers a module publishes (e.g. ADP on {@link ClogicChannels#ADP_METRICS}). Immutable.
 *
 * @param module    the publishing module
 * @param values    metric values by name, each finite, unmodifiable, in the given order
 * @param timeNanos time-source nanoseconds, not negative
 * @throws IllegalArgumentException naming the field that is wrong
 */
public record ModuleMetrics(String module, Map<String, Double> values, long timeNanos) {

    public ModuleMetrics {
        Checks.name("Module name", module);
        values = Checks.values("Metric", values);
        Checks.nonNegative("Metrics time", timeNanos);
    }

    /** The value named {@code name}, or NaN when absent. */
    public double value(String name) {
        Double v = values.get(name);
        return v == null ? Double.NaN : v;
    }
}
