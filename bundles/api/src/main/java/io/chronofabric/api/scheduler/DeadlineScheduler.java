package io.chronofabric.api.scheduler;

import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
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
 *
 * <p><b>Time source.</b> Times are {@code TimeSource} nanoseconds. The scheduler follows a change of
 * time source in place: admitted tasks stay admitted and keep running. While no time source is
 * present it runs on a monotonic fallback that continues from the last reading (so
 * {@link SchedulerStats#timeSource()} says {@code none} and health says so). When a source appears
 * whose reading differs from the scheduler's by more than the configured re-base threshold
 * (a switch between a simulated and the system source, say), every pending job's release and
 * deadline is shifted by the difference, so each keeps the time it had left; smaller differences
 * keep absolute times.
 *
 * <p><b>Whiteboard.</b> Services registered as {@link ScheduledWork} are scheduled automatically.
 */
@ProviderType
public interface DeadlineScheduler {

    /**
     * Admits a task.
     *
     * @throws ResourceExhaustedException if admitting it would push estimated utilisation past
     *         the bound; the message gives the load and the bound
     * @throws ServiceUnavailableException if the scheduler is stopping or not running
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
