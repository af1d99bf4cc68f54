package io.chronofabric.api.scheduler;

/** What to do with a task that cannot start before its deadline. Either choice is recorded as a miss. */
public enum MissPolicy {
    /** Run it anyway, late. */
    RUN_LATE,
    /** Do not run it. */
    SKIP
}
