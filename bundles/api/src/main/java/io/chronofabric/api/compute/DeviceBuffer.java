package io.chronofabric.api.compute;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A buffer of one element type held on a backend's device (host memory for the CPU backend).
 * Obtained from {@link HardwareAbstraction#allocate} or {@link ComputeBackend#allocate}; the
 * holder must {@link #release()} it (or close it). Thread-safe; after release every operation
 * but {@link #release()} and {@link #isReleased()} throws {@link IllegalStateException}.
 *
 * @since 1.1
 */
@ProviderType
public interface DeviceBuffer extends AutoCloseable {

    BackendKind backend();

    ElementType elementType();

    /** Number of elements. */
    int elements();

    /** Bytes held on the device. */
    default long bytes() {
        return (long) elements() * elementType().byteSize();
    }

    /**
     * Copies a tensor into the buffer from element 0.
     *
     * @throws IllegalArgumentException if the element type differs or it does not fit
     */
    void write(Tensor values);

    /**
     * Reads the first elements back as a tensor of the given shape.
     *
     * @throws IllegalArgumentException if the shape holds more elements than the buffer
     */
    Tensor read(int... shape);

    /** Frees the device memory. Idempotent. */
    void release();

    boolean isReleased();

    /** Same as {@link #release()}. */
    @Override
    default void close() {
        release();
    }
}
