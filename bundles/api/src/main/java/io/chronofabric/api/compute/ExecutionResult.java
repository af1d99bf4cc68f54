package io.chronofabric.api.compute;

import java.util.List;
import java.util.Objects;

/**
 * Outcome of one function execution. Immutable.
 *
 * @param results      the function's results in order
 * @param backend      the backend that ran it (after any fallback)
 * @param elapsedNanos time the backend spent, from start to the last result
 * @since 1.1
 */
public record ExecutionResult(List<Tensor> results, BackendKind backend, long elapsedNanos) {

    public ExecutionResult {
        results = List.copyOf(results);
        Objects.requireNonNull(backend, "backend");
    }

    /**
     * @throws IndexOutOfBoundsException naming the index and the number of results
     */
    public Tensor result(int index) {
        if (index < 0 || index >= results.size()) {
            throw new IndexOutOfBoundsException("result " + index + " of " + results.size());
        }
        return results.get(index);
    }
}
