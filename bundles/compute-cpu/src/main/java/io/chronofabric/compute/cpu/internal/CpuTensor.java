package io.chronofabric.compute.cpu.internal;

import io.chronofabric.compute.mlir.ScalarType;
import io.chronofabric.compute.mlir.TensorType;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The CPU backend's value of a tensor: row-major data in a primitive array, f32 in float[], f64
 * in double[], every integer type (i1 as 0/1, i32 kept in range, i64, index) in long[]. Scalars
 * at function boundaries are rank-0 tensors.
 *
 * <p>An f32 argument that the compiled function only reads as a {@code linalg.matmul} operand is
 * not copied: it holds the API tensor's read-only {@link #view} instead of {@link #f} (null);
 * only {@link #floatSource()} reads such a tensor.
 */
final class CpuTensor {

    final ScalarType element;
    final int[] shape;
    final int size;
    final float[] f;
    final double[] d;
    final long[] l;
    /** Read-only f32 storage of an argument read in place (then {@link #f} is null). */
    final FloatBuffer view;

    private CpuTensor(ScalarType element, int[] shape, float[] f, double[] d, long[] l) {
        this(element, shape, f, d, l, null);
    }

    private CpuTensor(ScalarType element, int[] shape, float[] f, double[] d, long[] l, FloatBuffer view) {
        this.element = element;
        this.shape = shape;
        this.size = size(shape);
        this.f = f;
        this.d = d;
        this.l = l;
        this.view = view;
    }

    /** An f32 tensor reading {@code view} in place (an argument: never written). */
    static CpuTensor viewOfFloats(int[] shape, FloatBuffer view) {
        check(shape, view.capacity());
        return new CpuTensor(ScalarType.F32, shape.clone(), null, null, null, view);
    }

    /** The f32 elements for reading: the view of an argument read in place, else the array wrapped. */
    FloatBuffer floatSource() {
        return f != null ? FloatBuffer.wrap(f) : view;
    }

    static int size(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + n + " elements is too large");
        }
        return (int) n;
    }

    static CpuTensor allocate(ScalarType e, int... shape) {
        int n = size(shape);
        return switch (e) {
            case F32 -> new CpuTensor(e, shape, new float[n], null, null);
            case F64 -> new CpuTensor(e, shape, null, new double[n], null);
            default -> new CpuTensor(e, shape, null, null, new long[n]);
        };
    }

    /**
     * A tensor of type {@code t} over {@code array} (an output buffer's storage: float[], double[]
     * or long[] of exactly t's size), zeroed.
     */
    static CpuTensor zeroedOver(TensorType t, Object array) {
        CpuTensor r = over(t, array);
        Kernels.fill(array, 0, r.size, 0, 0);
        return r;
    }

    /** A tensor of type {@code t} over {@code array} as it is (the op writes every element). */
    static CpuTensor over(TensorType t, Object array) {
        int n = size(t.shape());
        if (array instanceof float[] a && a.length == n && t.element() == ScalarType.F32) {
            return new CpuTensor(t.element(), t.shape(), a, null, null);
        }
        if (array instanceof double[] a && a.length == n && t.element() == ScalarType.F64) {
            return new CpuTensor(t.element(), t.shape(), null, a, null);
        }
        if (array instanceof long[] a && a.length == n && t.element() != ScalarType.F32 && t.element() != ScalarType.F64) {
            return new CpuTensor(t.element(), t.shape(), null, null, a);
        }
        throw new IllegalArgumentException("output storage " + array.getClass().getSimpleName() + " does not fit "
                + t.text());
    }

    static CpuTensor allocate(TensorType t) {
        return allocate(t.element(), t.shape());
    }

    static CpuTensor ofFloats(int[] shape, float[] values) {
        check(shape, values.length);
        return new CpuTensor(ScalarType.F32, shape.clone(), values, null, null);
    }

    static CpuTensor ofDoubles(int[] shape, double[] values) {
        check(shape, values.length);
        return new CpuTensor(ScalarType.F64, shape.clone(), null, values, null);
    }

    static CpuTensor ofLongs(ScalarType e, int[] shape, long[] values) {
        check(shape, values.length);
        return new CpuTensor(e, shape.clone(), null, null, values);
    }

    private static void check(int[] shape, int n) {
        if (size(shape) != n) {
            throw new IllegalArgumentException(n + " values for shape " + Arrays.toString(shape));
        }
    }

    /** Rank-0 tensor holding one scalar. */
    static CpuTensor scalar(ScalarType e, double fv, long lv) {
        CpuTensor t = allocate(e);
        t.set(0, fv, lv);
        return t;
    }

    Object data() {
        return f != null ? f : d != null ? d : l;
    }

    int rank() {
        return shape.length;
    }

    TensorType type() {
        return TensorType.ranked(element, shape);
    }

    CpuTensor copy() {
        return new CpuTensor(element, shape, f == null ? null : f.clone(), d == null ? null : d.clone(),
                l == null ? null : l.clone());
    }

    /** Same data, another (cast-compatible) shape: tensor.cast is free. */
    CpuTensor view(int[] newShape) {
        return new CpuTensor(element, newShape, f, d, l, view);
    }

    double getDouble(int i) {
        return f != null ? f[i] : d != null ? d[i] : l[i];
    }

    long getLong(int i) {
        return l != null ? l[i] : f != null ? (long) f[i] : (long) d[i];
    }

    void set(int i, double fv, long lv) {
        if (f != null) {
            f[i] = (float) fv;
        } else if (d != null) {
            d[i] = fv;
        } else {
            l[i] = lv;
        }
    }

    String describe() {
        return type().text();
    }
}
