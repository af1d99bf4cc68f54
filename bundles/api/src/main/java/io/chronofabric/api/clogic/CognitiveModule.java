package io.chronofabric.api.clogic;

import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthIndicator;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A C-LOGIC module registered as an OSGi service. Thread-safe; methods never return null.
 */
@ConsumerType
public interface CognitiveModule extends HealthIndicator {

    /** Short name, e.g. {@code drpp}. */
    String name();

    /** One sentence naming the algorithm it runs (e.g. "Kuramoto oscillators + transfer entropy"). */
    String algorithm();

    ComponentId componentId();

    /** Channels it consumes. */
    Set<String> inputChannels();

    /** Channels it publishes to. */
    Set<String> outputChannels();

    /** Current numeric state for tools (e.g. {@code coherence=0.82}). */
    Map<String, Double> metrics();
}
