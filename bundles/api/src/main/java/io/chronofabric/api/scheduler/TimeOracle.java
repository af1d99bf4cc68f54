package io.chronofabric.api.scheduler;

import io.chronofabric.api.time.QuantumOffset;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The seed's "quantum time oracle", honestly: a feedback controller over observed scheduler
 * load, deadline misses and bus latency that yields an {@link OptimizationHint}, with
 * hysteresis so the hint does not flap. Thread-safe.
 */
@ProviderType
public interface TimeOracle {

    OptimizationHint currentHint();

    /** One line saying which inputs produced the current hint. */
    String explanation();

    /** The periodic release offset applied to periodic task {@code taskName}. */
    QuantumOffset offsetFor(String taskName);
}
