package io.chronofabric.api.core;

/** Coarse health of a service, worst last. */
public enum HealthStatus {
    /** Working within its targets. */
    UP,
    /** Working, but outside one or more targets; see the report's details. */
    DEGRADED,
    /** Not doing its job. */
    DOWN
}
