package io.chronofabric.api.scheduler;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The task whiteboard: register a {@code ScheduledWork} as an OSGi service and the
 * {@link DeadlineScheduler} schedules its {@link #task()} for you, unschedules it when the service
 * goes away, and schedules it again when the scheduler restarts (bundle stop/start, update).
 *
 * <pre>{@code
 * @Component(service = ScheduledWork.class)
 * public class SensorPoll implements ScheduledWork {
 *     public Task task() {
 *         return Task.builder("sensor-poll", this::poll)
 *                 .periodic(Duration.ofMillis(10), Duration.ofMillis(10))
 *                 .estimate(Duration.ofMillis(1)).build();
 *     }
 *     void poll() { ... }
 * }
 * }</pre>
 *
 * <p><b>Contract.</b>
 * <ul>
 * <li>{@link #task()} must return a <em>periodic</em> task, not null; it is called when the service
 *     is bound to the scheduler and again each time the service's properties change (then the old
 *     task is cancelled and the new one scheduled), on the thread that delivers those service
 *     events. It should be quick and must not call the scheduler back. The returned task is kept
 *     and scheduled again, unchanged, after a scheduler restart.</li>
 * <li>A task the scheduler refuses for capacity (admission control) or while it is stopping is
 *     logged with its name, listed in the scheduler's statistics and health
 *     ({@link SchedulerStats#refusedTasks()}), and admitted as soon as capacity frees. A task that
 *     is invalid (a one-shot task, null, or {@code task()} throws) is logged and listed, and not
 *     tried again until the service's properties change or it registers again.</li>
 * <li>The task's work runs on scheduler worker threads, like any other task's; its outcomes are
 *     counted in {@link SchedulerStats} like any other task's.</li>
 * <li>When the service is unregistered its task is cancelled: the running job, if any, finishes.</li>
 * </ul>
 */
@ConsumerType
public interface ScheduledWork {

    /** The periodic task to run; see the class comment for when it is called. Never null. */
    Task task();
}
