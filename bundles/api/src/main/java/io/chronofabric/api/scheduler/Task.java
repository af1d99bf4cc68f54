package io.chronofabric.api.scheduler;

import java.time.Duration;
import java.util.Objects;

/**
 * A unit of work with timing constraints. Immutable; build with {@link #builder(String, Runnable)}.
 *
 * <p>One-shot tasks have an absolute {@code deadlineNanos} (time-source nanoseconds since the
 * epoch) and are released at {@code releaseNanos} (0 = at once). Periodic tasks are released
 * every {@code periodNanos} starting at {@code releaseNanos}, each job due
 * {@code relativeDeadlineNanos} after its release.
 *
 * @param name                  for statistics and the console; not blank
 * @param priority              tie-breaker between equal deadlines
 * @param releaseNanos          earliest start, absolute; 0 means now
 * @param deadlineNanos         absolute deadline of a one-shot task; 0 for periodic tasks
 * @param estimatedNanos        estimated execution time, used by admission control; &gt; 0
 * @param periodNanos           period of a periodic task, 0 for one-shot
 * @param relativeDeadlineNanos deadline of each periodic job after its release; 0 for one-shot
 * @param missPolicy            what to do when a job cannot start before its deadline; null
 *                              means the scheduler's configured default
 * @param work                  the work itself; exceptions it throws are recorded as failures
 */
public record Task(String name, TaskPriority priority, long releaseNanos, long deadlineNanos, long estimatedNanos,
        long periodNanos, long relativeDeadlineNanos, MissPolicy missPolicy, Runnable work) {

    public Task {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Task name is empty");
        }
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(work, "work");
        if (releaseNanos < 0) {
            throw new IllegalArgumentException("Task '" + name + "': release time " + releaseNanos + " is negative");
        }
        if (estimatedNanos <= 0) {
            throw new IllegalArgumentException("Task '" + name + "': estimated duration " + estimatedNanos + " ns must be > 0");
        }
        if (periodNanos < 0) {
            throw new IllegalArgumentException("Task '" + name + "': period " + periodNanos + " ns is negative");
        }
        if (periodNanos == 0) {
            if (deadlineNanos <= 0) {
                throw new IllegalArgumentException("Task '" + name + "': a one-shot task needs a deadline > 0, got " + deadlineNanos);
            }
        } else {
            if (relativeDeadlineNanos <= 0 || relativeDeadlineNanos > periodNanos) {
                throw new IllegalArgumentException("Task '" + name + "': relative deadline " + relativeDeadlineNanos
                        + " ns must be > 0 and <= the period " + periodNanos + " ns");
            }
            if (estimatedNanos > relativeDeadlineNanos) {
                throw new IllegalArgumentException("Task '" + name + "': estimated duration " + estimatedNanos
                        + " ns exceeds its relative deadline " + relativeDeadlineNanos + " ns");
            }
        }
    }

    public boolean isPeriodic() {
        return periodNanos > 0;
    }

    /** Estimated utilisation of one worker: estimate / period for periodic tasks. */
    public double utilisation() {
        return isPeriodic() ? (double) estimatedNanos / periodNanos : 0;
    }

    public static Builder builder(String name, Runnable work) {
        return new Builder(name, work);
    }

    /** Builds a {@link Task}; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Runnable work;
        private TaskPriority priority = TaskPriority.NORMAL;
        private long release;
        private long deadline;
        private long estimate = 1;
        private long period;
        private long relativeDeadline;
        private MissPolicy missPolicy;

        private Builder(String name, Runnable work) {
            this.name = name;
            this.work = work;
        }

        public Builder priority(TaskPriority p) {
            this.priority = p;
            return this;
        }

        public Builder releaseAt(long nanos) {
            this.release = nanos;
            return this;
        }

        public Builder deadline(long absoluteNanos) {
            this.deadline = absoluteNanos;
            return this;
        }

        public Builder estimate(Duration d) {
            this.estimate = d.toNanos();
            return this;
        }

        public Builder periodic(Duration period, Duration relativeDeadline) {
            this.period = period.toNanos();
            this.relativeDeadline = relativeDeadline.toNanos();
            return this;
        }

        public Builder onMiss(MissPolicy policy) {
            this.missPolicy = policy;
            return this;
        }

        public Task build() {
            return new Task(name, priority, release, deadline, estimate, period, relativeDeadline, missPolicy, work);
        }
    }
}
