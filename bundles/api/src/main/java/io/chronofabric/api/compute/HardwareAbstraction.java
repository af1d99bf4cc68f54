package io.chronofabric.api.compute;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The hardware view of the compute runtime (the seed's HardwareAbstraction): which backends are
 * registered and why some cannot run, which one a module would be compiled on, and device
 * buffers. Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface HardwareAbstraction {

    /** Every registered backend with its availability, in {@link BackendKind} order. */
    List<BackendStatus> backends();

    /** The backend of that kind in use (highest ranking), if one is registered. */
    Optional<BackendStatus> backend(BackendKind kind);

    /**
     * The backend {@link MlirRuntime#compile(ModuleSource, List)} would choose, with the reason
     * each preferred kind before it was skipped.
     *
     * @throws IllegalArgumentException if the module does not parse
     * @throws BackendUnavailableException if no preferred kind and no CPU backend qualifies
     */
    Selection select(ModuleSource source, List<BackendKind> preferred);

    /**
     * The choice of {@link #select}.
     *
     * @param chosen  the kind chosen
     * @param skipped one line per kind passed over, e.g. {@code "CUDA: no libcuda.so.1"}
     */
    record Selection(BackendKind chosen, List<String> skipped) {
        public Selection {
            java.util.Objects.requireNonNull(chosen, "chosen");
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Allocates a buffer on a backend's device; the caller releases it ({@link #release} or
     * {@link DeviceBuffer#release()}).
     *
     * @throws BackendUnavailableException if no available backend of that kind is registered
     * @throws UnsupportedOperationException if that backend hands out no buffers
     * @throws IllegalArgumentException for a negative size
     */
    DeviceBuffer allocate(BackendKind kind, ElementType type, int elements);

    /** Releases a buffer; idempotent. */
    default void release(DeviceBuffer buffer) {
        buffer.release();
    }
}
