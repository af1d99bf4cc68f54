package io.chronofabric.api.adp;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A place that can run work units, offered to ADP as a whiteboard service: register an instance
 * under this interface and ADP adds it to its places (and drops it when the service goes).
 * Implementations are thread-safe; {@link #run(WorkUnit)} must not block the caller for long
 * (run the work elsewhere and complete the stage there). ADP measures the latency from the call to
 * the stage's completion and learns from it.
 *
 * <p>A consumer type: any bundle may implement it, and a minor version of this package adds no
 * abstract method to it.
 */
@ConsumerType
public interface WorkPlace {

    /** The place's name, unique among places; no whitespace (e.g. {@code gpu-pool}). */
    String name();

    /** What kind of place it is, for people ({@code service} unless overridden). */
    default String kind() {
        return "service";
    }

    /** Whether it can run this unit; the default takes every task unit and no compute call. */
    default boolean accepts(WorkUnit<?> unit) {
        return !unit.isCompute();
    }

    /** Whether it can take work now (a place may be registered but down). */
    default boolean isAvailable() {
        return true;
    }

    /** Work waiting at the place besides what ADP has in flight there (0 when unknown). */
    default int queueLength() {
        return 0;
    }

    /**
     * Starts the unit; the stage completes with its result or its failure. ADP may cancel the
     * stage ({@code toCompletableFuture().cancel(true)}) when the unit's deadline passes.
     */
    <T> CompletionStage<T> run(WorkUnit<T> unit);
}
