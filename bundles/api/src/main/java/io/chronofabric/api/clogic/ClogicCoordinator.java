package io.chronofabric.api.clogic;

import io.chronofabric.api.core.HealthIndicator;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The C-LOGIC coordinator (the seed's CLogicSystem): it keeps the configured cross-talk links
 * between module channels on the bus and tracks the registered {@link CognitiveModule} services.
 * Thread-safe; methods never return null and never block on the bus.
 *
 * @since 1.1
 */
@ProviderType
public interface ClogicCoordinator extends HealthIndicator {

    /** The registered modules, sorted by name (a snapshot). */
    List<CognitiveModule> modules();

    /** The configured links with their state, in configuration order. */
    List<LinkStatus> links();
}
