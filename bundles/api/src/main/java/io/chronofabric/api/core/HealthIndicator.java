package io.chronofabric.api.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by a port service that can report its own health; the console's
 * {@code csf:status} asks every registered port service that implements it.
 *
 * <p>Implementations must answer quickly (no blocking I/O), from any thread, and never throw:
 * a failure to assess health is itself reported as {@link HealthStatus#DOWN}.
 */
@ConsumerType
public interface HealthIndicator {

    HealthReport health();
}
