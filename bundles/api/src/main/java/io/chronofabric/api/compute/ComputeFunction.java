package io.chronofabric.api.compute;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A named, ready-to-call compute function, registered as a service, e.g. by the runtime for each
 * function of a {@code .mlir} file copied into Karaf's {@code deploy/} folder (and unregistered
 * when the file is removed). Other bundles find it by the {@link #NAME_PROPERTY} service
 * property. Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface ComputeFunction {

    /**
     * Service property with {@link #name()}: {@code <file name without .mlir>.<function>}, e.g.
     * {@code scale.main} for {@code func.func @main} in {@code deploy/scale.mlir}.
     */
    String NAME_PROPERTY = "compute.function.name";

    /** Service property with the path of the source file (when it has one). */
    String SOURCE_PROPERTY = "compute.function.source";

    String name();

    FunctionSignature signature();

    /** The backend its module is compiled on now. */
    BackendKind backend();

    /**
     * Runs it; the stage fails as {@link MlirRuntime#execute} describes (arguments are checked
     * against {@link #signature()}).
     */
    CompletionStage<ExecutionResult> call(List<Tensor> arguments);

    default CompletionStage<ExecutionResult> call(Tensor... arguments) {
        return call(List.of(arguments));
    }
}
