package io.chronofabric.api.scheduler;

import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.TaskId;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Earliest-deadline-first scheduling of tasks on a worker pool, driven by the
 * {@code TimeSource} service.
 *
 * <p><b>Contract.</b> Ready jobs start in order of absolute deadline, then priority (higher
 * first), then submission order. Admission control refuses a task that would push estimated
 * utilisation past the configured bound. Every admitted job ends in exactly one
 * {@link TaskOutcome}; none is dropped unreported, including when the scheduler stops.
 * Thread-safe.
 */
@ProviderType
public interface DeadlineScheduler {

    /**
     * Admits a task.
     *
     * @throws ResourceExhaustedException if admitting it would push estimated utilisation past
     *         the bound; the message gives the load and the bound
     * @throws io.chronofabric.api.core.TemporalViolationException if a one-shot deadline has passed
     */
    ScheduledTask schedule(Task task);

    /** @return whether a pending task with this id was cancelled */
    boolean cancel(TaskId id);

    /** Admitted utilisation of the pool, 0 to 1. */
    double load();

    /**
     * Runs, on the calling thread, every job whose release time has come according to the
     * time source, in EDF order; returns how many ran. With a simulated time source this makes
     * tests deterministic.
     */
    int processTemporalQueue();

    List<ScheduledTask> pending();

    SchedulerStats stats();
}
