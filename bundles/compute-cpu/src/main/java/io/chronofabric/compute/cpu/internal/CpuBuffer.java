package io.chronofabric.compute.cpu.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.DeviceBuffer;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.Tensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CPU "device" buffer: a Java heap array in the API's storage type (f32 float[], f64 double[],
 * i32 int[], i64 and index long[], i1 boolean[]). As an execution's output, an f32, f64, i64 or
 * index buffer of exactly the result's size is the array the kernels write (no copy); otherwise
 * the result is copied in. {@link #floatBuffer()} and its variants are read-only views.
 */
final class CpuBuffer implements DeviceBuffer {

    private final ElementType type;
    private final int elements;
    private final Object array;
    private final AtomicInteger live;
    private volatile boolean released;

    /** @param live the backend's count of live buffers (incremented here, decremented on release) */
    CpuBuffer(ElementType type, int elements, AtomicInteger live) {
        if (elements < 0) {
            throw new IllegalArgumentException("buffer of " + elements + " elements: size must be >= 0");
        }
        this.type = java.util.Objects.requireNonNull(type, "type");
        this.elements = elements;
        this.array = switch (type) {
            case F32 -> new float[elements];
            case F64 -> new double[elements];
            case I32 -> new int[elements];
            case I64, INDEX -> new long[elements];
            case I1 -> new boolean[elements];
        };
        this.live = live;
        live.incrementAndGet();
    }

    @Override
    public BackendKind backend() {
        return BackendKind.CPU;
    }

    @Override
    public ElementType elementType() {
        return type;
    }

    @Override
    public int elements() {
        return elements;
    }

    @Override
    public boolean isHostMemory() {
        return true;
    }

    /** The storage, for the backend's kernels; throws when released. */
    Object array() {
        if (released) {
            throw new IllegalStateException("CPU buffer of " + elements + " " + type + " was released");
        }
        return array;
    }

    /**
     * The storage as the CpuTensor a kernel writes in place, or null when the CPU tensor of this
     * type and shape cannot share it (i1 and i32 live in long[] there; a size that differs).
     */
    float[] floatsFor(int size) {
        return type == ElementType.F32 && size == elements ? (float[]) array() : null;
    }

    double[] doublesFor(int size) {
        return type == ElementType.F64 && size == elements ? (double[]) array() : null;
    }

    long[] longsFor(ElementType t, int size) {
        return type == t && (t == ElementType.I64 || t == ElementType.INDEX) && size == elements ? (long[]) array() : null;
    }

    @Override
    public void write(Tensor values) {
        Object a = array();
        if (values.elementType() != type) {
            throw new IllegalArgumentException("CPU buffer holds " + type + ", tensor is " + values.elementType());
        }
        if (values.size() > elements) {
            throw new IllegalArgumentException("tensor of " + values.size() + " elements does not fit a CPU buffer of "
                    + elements);
        }
        switch (type) {
            case F32 -> values.copyTo((float[]) a, 0);
            case F64 -> values.copyTo((double[]) a, 0);
            case I32 -> values.copyTo((int[]) a, 0);
            case I64, INDEX -> values.copyTo((long[]) a, 0);
            case I1 -> values.copyTo((boolean[]) a, 0);
        }
    }

    /** Copies the first {@code t.size} elements of a CPU tensor of this element type in (converting i1/i32 from long[]). */
    void writeFrom(CpuTensor t) {
        Object a = array();
        if (t.size > elements) {
            throw new IllegalArgumentException("result " + t.describe() + " has " + t.size
                    + " elements, the CPU buffer " + elements);
        }
        switch (type) {
            case F32 -> {
                if (t.f != null) {
                    System.arraycopy(t.f, 0, a, 0, t.size);
                } else {
                    t.view.get(0, (float[]) a, 0, t.size);
                }
            }
            case F64 -> System.arraycopy(t.d, 0, a, 0, t.size);
            case I64, INDEX -> System.arraycopy(t.l, 0, a, 0, t.size);
            case I32 -> {
                int[] o = (int[]) a;
                for (int i = 0; i < t.size; i++) {
                    o[i] = (int) t.l[i];
                }
            }
            case I1 -> {
                boolean[] o = (boolean[]) a;
                for (int i = 0; i < t.size; i++) {
                    o[i] = t.l[i] != 0;
                }
            }
        }
    }

    @Override
    public Tensor read(int... shape) {
        Object a = array();
        Tensor probe = Tensor.zeros(type, shape); // checks the shape
        int n = probe.size();
        if (n > elements) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + n
                    + " elements, the CPU buffer " + elements);
        }
        return switch (type) {
            case F32 -> Tensor.wrapFloats(shape, java.util.Arrays.copyOf((float[]) a, n));
            case F64 -> Tensor.wrapDoubles(shape, java.util.Arrays.copyOf((double[]) a, n));
            case I32 -> Tensor.wrapInts(shape, java.util.Arrays.copyOf((int[]) a, n));
            case I64, INDEX -> Tensor.wrapLongs(type, shape, java.util.Arrays.copyOf((long[]) a, n));
            case I1 -> Tensor.wrapBooleans(shape, java.util.Arrays.copyOf((boolean[]) a, n));
        };
    }

    private void require(ElementType... types) {
        for (ElementType t : types) {
            if (t == type) {
                array();
                return;
            }
        }
        throw new IllegalStateException("CPU buffer of " + type + " has no " + types[0] + " view");
    }

    @Override
    public FloatBuffer floatBuffer() {
        require(ElementType.F32);
        return FloatBuffer.wrap((float[]) array).asReadOnlyBuffer();
    }

    @Override
    public DoubleBuffer doubleBuffer() {
        require(ElementType.F64);
        return DoubleBuffer.wrap((double[]) array).asReadOnlyBuffer();
    }

    @Override
    public IntBuffer intBuffer() {
        require(ElementType.I32);
        return IntBuffer.wrap((int[]) array).asReadOnlyBuffer();
    }

    @Override
    public LongBuffer longBuffer() {
        require(ElementType.I64, ElementType.INDEX);
        return LongBuffer.wrap((long[]) array).asReadOnlyBuffer();
    }

    @Override
    public void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        live.decrementAndGet();
    }

    @Override
    public boolean isReleased() {
        return released;
    }

    @Override
    public String toString() {
        return "CPU buffer of " + elements + " " + type + (released ? " (released)" : "");
    }
}
