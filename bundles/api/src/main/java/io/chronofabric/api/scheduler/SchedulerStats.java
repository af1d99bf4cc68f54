package io.chronofabric.api.scheduler;

import java.util.Map;

/**
 * A snapshot of scheduler state.
 *
 * @param load           admitted utilisation over workers, 0 to 1
 * @param queued         jobs waiting
 * @param running        jobs running
 * @param completed      jobs that met their deadline
 * @param missed         jobs that finished late or were skipped
 * @param failed         jobs whose work threw
 * @param missesByTask   misses per task name
 * @param hint           the time oracle's current hint
 */
public record SchedulerStats(double load, int queued, int running, long completed, long missed, long failed,
        Map<String, Long> missesByTask, OptimizationHint hint) {

    public SchedulerStats {
        missesByTask = Map.copyOf(missesByTask);
    }
}
