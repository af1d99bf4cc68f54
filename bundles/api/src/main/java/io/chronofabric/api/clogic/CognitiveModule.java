package io.chronofabric.api.clogic;

import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthIndicator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A C-LOGIC module registered as an OSGi service. Thread-safe; methods never return null.
 *
 * <p><b>Roles.</b> A module bundle (DRPP, EMS, EGC, ADP, ...) implements this interface; the
 * C-LOGIC coordinator and tools call it. It is a provider type: a minor version of this package
 * may add methods. bnd therefore gives an implementing bundle an import range of
 * {@code [1.0,1.1)}, so it is rebuilt for each minor version, while callers accept the whole
 * major version ({@code [1.0,2)}). {@link HealthIndicator}, which it extends, stays a consumer
 * type: any port service may implement it.
 *
 * <p><b>Registration (1.1).</b> A module registers this service with the service property
 * {@value #MODULE_PROPERTY} set to its {@link #name()}; the coordinator tracks every such service
 * (dynamic, multiple) and reports it. A module reads its inputs from its own configuration
 * (PID {@code io.chronofabric.clogic.<name>}, key {@code inputs}: {@link InputBinding} entries),
 * keeps its state in its bundle's data area across its own restart, and says in {@link #state()}
 * what it is doing and how far behind its input it is.
 */
@ProviderType
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

    /** Service property carrying the module's name (String), e.g. {@code ems}. Since 1.1. */
    String MODULE_PROPERTY = "chronofabric.clogic.module";

    /**
     * What the module is doing now and how far behind its input it is. The default, for modules
     * written against 1.0, reports the health summary and the metrics with unknown counts.
     *
     * @since 1.1
     */
    default ModuleState state() {
        return new ModuleState(name(), health().summary(), List.of(), -1, -1, -1, -1, metrics());
    }
}
