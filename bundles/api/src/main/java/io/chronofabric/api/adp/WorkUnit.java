package io.chronofabric.api.adp;

import io.chronofabric.api.compute.ExecutionResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * One piece of work for {@link AdaptiveProcessor#submit(WorkUnit)}: either a Java task
 * ({@link #task(String, Callable)}, run by scheduler workers and {@link WorkPlace}s) or a
 * {@link ComputeCall} ({@link #compute(String, ComputeCall)}, run by compute backends), with an
 * optional deadline and optional features. Immutable; build with the factories.
 *
 * <p><b>Features</b> describe the unit (e.g. its size, priority, deadline, each scaled to about
 * [0, 1]); a unit with features is placed by LinUCB (a linear model of the reward per place), a
 * unit without by the configured bandit. Every unit with features must carry the number ADP is
 * configured for ({@code linucb.features}).
 *
 * @param <T> the result's type
 */
public final class WorkUnit<T> {

    private final String name;
    private final Callable<T> task;
    private final ComputeCall compute;
    private final Duration deadline;
    private final double[] features;

    private WorkUnit(String name, Callable<T> task, ComputeCall compute, Duration deadline, double[] features) {
        this.name = name;
        this.task = task;
        this.compute = compute;
        this.deadline = deadline;
        this.features = features;
    }

    /** A Java task; {@code name} (not blank) is for statistics and errors. */
    public static <T> Builder<T> task(String name, Callable<T> work) {
        return new Builder<>(name, Objects.requireNonNull(work, "Work unit task"), null);
    }

    /** A compute function call; its result is the backend's {@link ExecutionResult}. */
    public static Builder<ExecutionResult> compute(String name, ComputeCall call) {
        return new Builder<>(name, null, Objects.requireNonNull(call, "Work unit compute call"));
    }

    public String name() {
        return name;
    }

    /** Whether this unit is a compute call (else a Java task). */
    public boolean isCompute() {
        return compute != null;
    }

    /** The compute call of a compute unit; empty for a task. */
    public Optional<ComputeCall> compute() {
        return Optional.ofNullable(compute);
    }

    /**
     * Runs the task of a task unit on the calling thread (what a place does).
     *
     * @throws IllegalStateException for a compute unit, naming it
     * @throws Exception             what the task throws
     */
    public T call() throws Exception {
        if (task == null) {
            throw new IllegalStateException("Work unit '" + name + "' is a compute call, not a task: run it on a compute backend");
        }
        return task.call();
    }

    /** The time from submission by which the result must be there; empty when none. */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** Number of features (0 when the unit carries none). */
    public int featureCount() {
        return features.length;
    }

    /** Feature {@code i}, 0-based. */
    public double feature(int i) {
        return features[i];
    }

    /** A copy of the features. */
    public double[] features() {
        return features.clone();
    }

    @Override
    public String toString() {
        return "WorkUnit[" + name + (compute != null ? ", compute @" + compute.function() : ", task")
                + (deadline != null ? ", deadline " + deadline : "") + (features.length > 0 ? ", features " + Arrays.toString(features) : "")
                + "]";
    }

    /** Builds a {@link WorkUnit}; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder<T> {
        private final String name;
        private final Callable<T> task;
        private final ComputeCall compute;
        private Duration deadline;
        private double[] features = new double[0];

        private Builder(String name, Callable<T> task, ComputeCall compute) {
            this.name = name;
            this.task = task;
            this.compute = compute;
        }

        /** The time from submission by which the result must be there (&gt; 0). */
        public Builder<T> deadline(Duration d) {
            this.deadline = d;
            return this;
        }

        /** The unit's features (finite numbers; at most 64), e.g. size, priority, deadline scaled to [0, 1]. */
        public Builder<T> features(double... values) {
            this.features = values == null ? null : values.clone();
            return this;
        }

        /** @throws IllegalArgumentException naming the unit and what is wrong */
        public WorkUnit<T> build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("Work unit name is empty");
            }
            if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
                throw new IllegalArgumentException("Work unit '" + name + "': deadline " + deadline + " must be > 0");
            }
            if (features == null) {
                throw new IllegalArgumentException("Work unit '" + name + "': features are null");
            }
            if (features.length > 64) {
                throw new IllegalArgumentException("Work unit '" + name + "': " + features.length + " features, at most 64");
            }
            for (int i = 0; i < features.length; i++) {
                if (!Double.isFinite(features[i])) {
                    throw new IllegalArgumentException("Work unit '" + name + "': feature " + i + " is " + features[i] + ", not a finite number");
                }
            }
            return new WorkUnit<>(name, task, compute, deadline, features);
        }
    }
}
