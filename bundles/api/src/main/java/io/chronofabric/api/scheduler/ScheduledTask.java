package io.chronofabric.api.scheduler;

import io.chronofabric.api.core.TaskId;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/** A handle on an admitted task. Thread-safe. */
@ProviderType
public interface ScheduledTask {

    TaskId id();

    Task task();

    /** Absolute deadline of the next (or only) job. */
    long nextDeadlineNanos();

    /**
     * Completes with the outcome of a one-shot task, or of the last job of a periodic task
     * once it is cancelled or the scheduler stops. Never completes exceptionally: failures are
     * outcomes.
     */
    CompletionStage<TaskOutcome> outcome();

    /** Cancels future jobs; a running job finishes. @return false if already done or cancelled */
    boolean cancel();

    boolean isDone();
}
