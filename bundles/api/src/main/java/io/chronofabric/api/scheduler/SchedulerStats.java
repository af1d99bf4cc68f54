package io.chronofabric.api.scheduler;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of scheduler state. The counters since start ({@code completed}, {@code missed},
 * {@code failed}, {@code missesByTask}) never decrease while one scheduler instance runs;
 * {@link #recent()} holds the same figures over a recent sliding window, which is what health and
 * the time oracle judge by.
 *
 * @param load              admitted utilisation over workers, 0 to 1
 * @param queued            jobs waiting
 * @param running           jobs running
 * @param completed         jobs that met their deadline, since start
 * @param missed            jobs that finished late or were skipped, since start
 * @param failed            jobs whose work threw, since start
 * @param missesByTask      misses per task name, since start
 * @param hint              the time oracle's current hint
 * @param workers           worker threads alive now (the live count, not the configured one)
 * @param configuredWorkers worker threads configured ({@code workers})
 * @param workersReplaced   workers that died (an exception escaped the worker loop) and were replaced
 * @param timeSource        kind of the time source the scheduler runs on ({@code system},
 *                          {@code simulated}, ...), or {@code none} while no time source is present
 *                          and the scheduler runs on its monotonic fallback
 * @param recent            jobs, misses and failures over the recent window
 * @param refusedTasks      whiteboard tasks ({@link ScheduledWork}) not admitted now: a readable
 *                          name of each (task name and service id) to the reason; empty when none
 */
public record SchedulerStats(double load, int queued, int running, long completed, long missed, long failed,
        Map<String, Long> missesByTask, OptimizationHint hint, int workers, int configuredWorkers, long workersReplaced,
        String timeSource, Window recent, Map<String, String> refusedTasks) {

    /** The kind reported in {@link #timeSource()} while no time source is present. */
    public static final String NO_TIME_SOURCE = "none";

    public SchedulerStats {
        missesByTask = Map.copyOf(missesByTask);
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(timeSource, "timeSource");
        Objects.requireNonNull(recent, "recent");
        refusedTasks = Map.copyOf(refusedTasks);
    }

    /**
     * Figures over a recent sliding window of scheduler (monotonic) time.
     *
     * @param windowNanos the configured window; the figures cover between nine tenths of it and
     *                    all of it (they are kept in ten buckets), less right after start
     * @param jobs        jobs that ended in the window (met, late, skipped or failed)
     * @param missed      of those, late or skipped
     * @param failed      of those, failed
     */
    public record Window(long windowNanos, long jobs, long missed, long failed) {

        /** Misses per job in the window, 0 when no job ran. */
        public double missRate() {
            return jobs == 0 ? 0 : (double) missed / jobs;
        }
    }
}
