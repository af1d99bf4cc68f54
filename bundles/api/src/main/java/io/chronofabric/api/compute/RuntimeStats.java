package io.chronofabric.api.compute;

import java.util.Map;

/**
 * What a compute runtime has done since it started.
 *
 * @param compiles modules compiled by a backend (a cache miss)
 * @param cacheHits compile requests answered from the cache
 * @param fallbacks executions moved to another backend because theirs went away
 * @param completed executions that completed normally, by the backend that ran them
 * @param failed executions that failed on a backend (its error, a timeout, a cancellation), by backend; arguments
 *        refused before reaching a backend are not counted
 * @since 1.1
 */
public record RuntimeStats(long compiles, long cacheHits, long fallbacks, Map<BackendKind, Long> completed,
        Map<BackendKind, Long> failed) {

    /** What a runtime that keeps no statistics reports. */
    public static final RuntimeStats NONE = new RuntimeStats(0, 0, 0, Map.of(), Map.of());

    public RuntimeStats {
        completed = Map.copyOf(completed);
        failed = Map.copyOf(failed);
    }
}
