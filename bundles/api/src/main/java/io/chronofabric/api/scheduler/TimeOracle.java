package io.chronofabric.api.scheduler;

import io.chronofabric.api.time.QuantumOffset;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The seed's "quantum time oracle", honestly: a feedback controller over observed scheduler
 * load, deadline misses and bus latency that yields an {@link OptimizationHint}, with
 * hysteresis so the hint does not flap. Thread-safe.
 *
 * <p>Since 1.1 the hint can be <b>pinned</b> ({@link #pin}): while a pin holds,
 * {@link #currentHint()} returns the pinned hint whatever the controller says; the controller
 * keeps observing, so when the pin lapses or is removed the hint is the controller's again at
 * once, without a warm-up. {@link #explanation()} names the pin, its reason and its remaining time,
 * and what the controller would say.
 */
@ProviderType
public interface TimeOracle {

    /** The pinned hint while a pin holds, else the controller's. */
    OptimizationHint currentHint();

    /** One line saying which inputs produced the current hint (and the pin, while one holds). */
    String explanation();

    /** The periodic release offset applied to periodic task {@code taskName}. */
    QuantumOffset offsetFor(String taskName);

    /**
     * Pins the hint, replacing any earlier pin.
     *
     * @param hint          the hint {@link #currentHint()} returns while the pin holds; not null
     * @param durationNanos how long it holds, in nanoseconds (&gt; 0), or 0 until {@link #unpin()}
     * @param reason        who pins it and why (e.g. "operator: load test"); not null, may be empty
     * @return the pin now in force
     * @throws IllegalArgumentException if {@code durationNanos} is negative
     * @since 1.1
     */
    HintPin pin(OptimizationHint hint, long durationNanos, String reason);

    /**
     * Removes the pin: the controller's hint applies again.
     *
     * @return the pin removed, or empty when none held (never pinned, lapsed or removed already)
     * @since 1.1
     */
    Optional<HintPin> unpin();

    /**
     * The pin in force now, or empty.
     *
     * @since 1.1
     */
    Optional<HintPin> pinned();
}
