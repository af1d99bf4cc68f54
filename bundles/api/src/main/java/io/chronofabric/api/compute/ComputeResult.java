package io.chronofabric.api.compute;

import java.util.Map;

/**
 * Outputs of one execution.
 *
 * @param outputs      named output buffers
 * @param elapsedNanos execution time
 */
public record ComputeResult(Map<String, double[]> outputs, long elapsedNanos) {

    public ComputeResult {
        outputs = Map.copyOf(outputs);
    }
}
