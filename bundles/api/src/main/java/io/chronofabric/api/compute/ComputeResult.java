package io.chronofabric.api.compute;

import java.util.Map;

/**
 * Outputs of one execution.
 *
 * @param outputs      named output buffers
 * @param elapsedNanos execution time
 * @deprecated since 1.1: bare {@code double[]} lose shape and element type; use {@link
 *             ExecutionResult} with {@link Tensor} values.
 */
@Deprecated
public record ComputeResult(Map<String, double[]> outputs, long elapsedNanos) {

    public ComputeResult {
        outputs = Map.copyOf(outputs);
    }
}
