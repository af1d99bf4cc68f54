package io.chronofabric.api.adp;

import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * A compute function call a {@link WorkUnit} can carry instead of a Java task: the module, the
 * function's name and its arguments. Places that run it are compute backends (each available
 * {@code ComputeBackend} service); the result is the backend's {@code ExecutionResult}. Immutable.
 *
 * @param source    the module (MLIR text), never null
 * @param function  the function to call, without {@code @}; not blank
 * @param arguments the arguments in parameter order, never null (copied)
 * @throws IllegalArgumentException naming the field that is wrong
 */
public record ComputeCall(ModuleSource source, String function, List<Tensor> arguments) {

    public ComputeCall {
        Objects.requireNonNull(source, "Compute call module source");
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException("Compute call function name is empty (module '" + source.name() + "')");
        }
        arguments = List.copyOf(Objects.requireNonNull(arguments, "Compute call arguments"));
    }
}
