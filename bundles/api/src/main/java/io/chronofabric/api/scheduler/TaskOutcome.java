package io.chronofabric.api.scheduler;

import io.chronofabric.api.core.TaskId;

/**
 * What happened to one job of a task.
 *
 * @param id          the task
 * @param name        the task's name
 * @param status      how it ended
 * @param releaseNanos when the job was released
 * @param deadlineNanos its absolute deadline
 * @param startNanos  when it started, or -1 if it never did
 * @param finishNanos when it finished, or -1
 * @param failure     the exception the work threw, or null
 */
public record TaskOutcome(TaskId id, String name, Status status, long releaseNanos, long deadlineNanos,
        long startNanos, long finishNanos, Throwable failure) {

    public enum Status {
        /** Finished by its deadline. */
        MET,
        /** Finished after its deadline (including jobs run late under {@link MissPolicy#RUN_LATE}). */
        LATE,
        /** Not run because it could not start before its deadline ({@link MissPolicy#SKIP}). */
        SKIPPED,
        /** The work threw. */
        FAILED,
        /** Cancelled before it ran. */
        CANCELLED,
        /** The scheduler stopped before it ran. */
        ABANDONED
    }

    /** How late it finished (0 when on time). */
    public long latenessNanos() {
        return finishNanos < 0 ? 0 : Math.max(0, finishNanos - deadlineNanos);
    }
}
