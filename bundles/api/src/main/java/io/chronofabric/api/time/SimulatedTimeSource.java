package io.chronofabric.api.time;

import io.chronofabric.api.core.TemporalViolationException;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link TimeSource} whose time moves only when told to, for deterministic tests and
 * simulations. Registered under both interfaces while {@code source=simulated} is configured.
 *
 * <p>Thread-safe. Time still never goes backwards: asking for that is refused.
 */
@ProviderType
public interface SimulatedTimeSource extends TimeSource {

    /**
     * Moves time forward by {@code nanos}.
     *
     * @return the new reading
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    long advance(long nanos);

    default long advance(Duration duration) {
        return advance(duration.toNanos());
    }

    /**
     * Sets the time to {@code nanos} since the epoch.
     *
     * @return the new reading
     * @throws TemporalViolationException if {@code nanos} is before the current reading
     */
    long advanceTo(long nanos);
}
