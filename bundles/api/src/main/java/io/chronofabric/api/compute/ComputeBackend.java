package io.chronofabric.api.compute;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A compute backend registered as an OSGi service. Thread-safe.
 */
@ConsumerType
public interface ComputeBackend {

    BackendKind kind();

    /** Whether the hardware and drivers it needs are present now. */
    boolean isAvailable();

    /**
     * @throws IllegalArgumentException if the source does not compile; the message names the
     *         line and the problem
     * @throws IllegalStateException if the backend is not available
     */
    CompiledModule compile(ModuleSource source);

    /**
     * Executes a module compiled by this backend. The stage completes exceptionally with
     * {@link IllegalArgumentException} for missing or mis-sized inputs.
     */
    CompletionStage<ComputeResult> execute(CompiledModule module, Map<String, double[]> inputs);
}
