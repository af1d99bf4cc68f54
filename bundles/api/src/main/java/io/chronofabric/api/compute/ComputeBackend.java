package io.chronofabric.api.compute;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A compute backend registered as an OSGi service. Thread-safe.
 *
 * <p><b>Roles.</b> A backend bundle (CPU, OpenCL, CUDA, ...) implements this interface; the
 * compute runtime and tools call it. It is a provider type: a minor version of this package may
 * add methods. bnd therefore gives an implementing bundle an import range of {@code [1.0,1.1)},
 * so it is rebuilt for each minor version, while callers accept the whole major version
 * ({@code [1.0,2)}).
 */
@ProviderType
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
