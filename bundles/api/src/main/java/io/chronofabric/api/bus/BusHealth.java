package io.chronofabric.api.bus;

import java.util.List;
import java.util.Objects;

/**
 * The bus's health against its configured targets.
 *
 * @param healthy       true when every target is met
 * @param stats         the statistics the check used
 * @param warnings      one readable line per missed target, e.g.
 *                      "Average latency 1840 ns exceeds the 1000 ns target"
 * @param timestampNanos when the check ran
 */
public record BusHealth(boolean healthy, BusStats stats, List<String> warnings, long timestampNanos) {

    public BusHealth {
        Objects.requireNonNull(stats, "stats");
        warnings = List.copyOf(warnings);
    }
}
