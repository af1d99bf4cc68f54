package io.chronofabric.api.compute;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A buffer of one element type held on a backend's device (host memory for the CPU backend).
 * Obtained from {@link HardwareAbstraction#allocate} or {@link ComputeBackend#allocate}; the
 * holder must {@link #release()} it (or close it). Thread-safe; after release every operation
 * but {@link #release()} and {@link #isReleased()} throws {@link IllegalStateException}.
 *
 * <p><b>As an output.</b> A buffer can receive a function's result ({@link
 * ComputeBackend#execute(CompiledModule, String, java.util.List, java.util.List)}), so repeated
 * executions reuse one allocation; a backend whose own buffer it is writes it directly where it
 * can (no host round trip, for the CPU often no copy at all).
 * The holder must not run two executions into one buffer at once, nor read or write it while an
 * execution into it runs; after an execution fails, times out or is cancelled its content is
 * unspecified.
 *
 * <p><b>Host memory.</b> A buffer in host memory ({@link #isHostMemory()}, the CPU backend's)
 * offers read-only zero-copy views of its storage ({@link #floatBuffer()} and its variants): they
 * show what the last execution or {@link #write} put there, without copying.
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

    /**
     * Whether the storage is host memory the views ({@link #floatBuffer()} etc.) can show
     * without copying. False by default (device memory: use {@link #read}).
     *
     * @since 1.2
     */
    default boolean isHostMemory() {
        return false;
    }

    /**
     * A read-only view of the {@code f32} storage without copying: position 0, limit and capacity
     * {@link #elements()}. Each call returns a new buffer object; it reflects later writes into
     * the buffer and must not be used after {@link #release()}.
     *
     * @throws UnsupportedOperationException if the buffer is not in host memory
     * @throws IllegalStateException if the element type is not {@code f32} or it is released
     * @since 1.2
     */
    default FloatBuffer floatBuffer() {
        throw new UnsupportedOperationException(backend() + " buffers live in device memory: use read(shape)");
    }

    /**
     * A read-only view of the {@code f64} storage (see {@link #floatBuffer()}).
     *
     * @since 1.2
     */
    default DoubleBuffer doubleBuffer() {
        throw new UnsupportedOperationException(backend() + " buffers live in device memory: use read(shape)");
    }

    /**
     * A read-only view of the {@code i32} storage (see {@link #floatBuffer()}).
     *
     * @since 1.2
     */
    default IntBuffer intBuffer() {
        throw new UnsupportedOperationException(backend() + " buffers live in device memory: use read(shape)");
    }

    /**
     * A read-only view of the {@code i64} or {@code index} storage (see {@link #floatBuffer()}).
     *
     * @since 1.2
     */
    default LongBuffer longBuffer() {
        throw new UnsupportedOperationException(backend() + " buffers live in device memory: use read(shape)");
    }

    /** Frees the device memory. Idempotent. */
    void release();

    boolean isReleased();

    /** Same as {@link #release()}. */
    @Override
    default void close() {
        release();
    }
}
