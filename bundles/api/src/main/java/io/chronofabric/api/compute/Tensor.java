package io.chronofabric.api.compute;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable dense tensor: a shape, an {@link ElementType} and flat row-major storage in the
 * primitive array of that type (see {@link ElementType}).
 *
 * <p><b>Ownership.</b> The {@code of*} factories copy the array they are given; the {@code wrap*}
 * factories take ownership of it without copying (the caller must not change the array
 * afterwards). Accessors never expose the storage mutably: {@code to*Array} return copies,
 * {@link #copyTo(float[], int)} and the element getters read without allocating, and {@link
 * #floatBuffer()} (and its double, int and long variants) return a read-only zero-copy view
 * (writes through it throw {@link java.nio.ReadOnlyBufferException}, it has no accessible
 * array), so a backend can read large arguments in place. Instances are therefore safe to share
 * between threads and bundles.
 *
 * <p><b>Shape.</b> Each dimension is {@code >= 0}; a rank-0 tensor (empty shape) holds one
 * element and stands for a scalar. {@link #size()} is the product of the dimensions and must
 * equal the storage length. Conversions between element types follow Java's primitive casts
 * ({@code i1} reads as 1 or 0).
 *
 * @since 1.1
 */
public final class Tensor {

    private final ElementType elementType;
    private final int[] shape;
    private final int size;
    private final Object data;

    private Tensor(ElementType elementType, int[] shape, Object data, int length) {
        this.elementType = elementType;
        this.shape = shape;
        this.size = checkedSize(shape);
        if (size != length) {
            throw new IllegalArgumentException("tensor of shape " + shapeString(shape) + " needs "
                    + size + " " + elementType + " values, got " + length);
        }
        this.data = data;
    }

    // ---- factories (copying) ----

    public static Tensor ofFloats(int[] shape, float... values) {
        return new Tensor(ElementType.F32, shape.clone(), values.clone(), values.length);
    }

    public static Tensor ofDoubles(int[] shape, double... values) {
        return new Tensor(ElementType.F64, shape.clone(), values.clone(), values.length);
    }

    public static Tensor ofInts(int[] shape, int... values) {
        return new Tensor(ElementType.I32, shape.clone(), values.clone(), values.length);
    }

    /** An {@code i64} tensor. */
    public static Tensor ofLongs(int[] shape, long... values) {
        return new Tensor(ElementType.I64, shape.clone(), values.clone(), values.length);
    }

    /** An {@code index} tensor. */
    public static Tensor ofIndices(int[] shape, long... values) {
        return new Tensor(ElementType.INDEX, shape.clone(), values.clone(), values.length);
    }

    public static Tensor ofBooleans(int[] shape, boolean... values) {
        return new Tensor(ElementType.I1, shape.clone(), values.clone(), values.length);
    }

    /**
     * A tensor of any element type from double values, each converted by a primitive cast
     * (for {@code i1}: non-zero is true).
     */
    public static Tensor of(ElementType type, int[] shape, double... values) {
        Objects.requireNonNull(type, "type");
        return new Tensor(type, shape.clone(), convert(type, values), values.length);
    }

    /** A tensor of zeros (false for {@code i1}). */
    public static Tensor zeros(ElementType type, int... shape) {
        Objects.requireNonNull(type, "type");
        int n = checkedSize(shape);
        return new Tensor(type, shape.clone(), newStorage(type, n), n);
    }

    /** A tensor whose elements all equal {@code value} (converted to the type). */
    public static Tensor full(ElementType type, int[] shape, double value) {
        int n = checkedSize(shape);
        double[] v = new double[n];
        Arrays.fill(v, value);
        return of(type, shape, v);
    }

    /** A rank-0 tensor: the scalar {@code value} of the given type. */
    public static Tensor scalar(ElementType type, double value) {
        return of(type, new int[0], value);
    }

    // ---- factories (taking ownership) ----

    /** Takes ownership of {@code values}: the caller must not change the array afterwards. */
    public static Tensor wrapFloats(int[] shape, float[] values) {
        return new Tensor(ElementType.F32, shape.clone(), Objects.requireNonNull(values, "values"),
                values.length);
    }

    /** Takes ownership of {@code values}: the caller must not change the array afterwards. */
    public static Tensor wrapDoubles(int[] shape, double[] values) {
        return new Tensor(ElementType.F64, shape.clone(), Objects.requireNonNull(values, "values"),
                values.length);
    }

    /** Takes ownership of {@code values}: the caller must not change the array afterwards. */
    public static Tensor wrapInts(int[] shape, int[] values) {
        return new Tensor(ElementType.I32, shape.clone(), Objects.requireNonNull(values, "values"),
                values.length);
    }

    /**
     * Takes ownership of {@code values} ({@code i64} or {@code index}): the caller must not
     * change the array afterwards.
     */
    public static Tensor wrapLongs(ElementType type, int[] shape, long[] values) {
        if (type != ElementType.I64 && type != ElementType.INDEX) {
            throw new IllegalArgumentException("long[] storage is for i64 or index, not " + type);
        }
        return new Tensor(type, shape.clone(), Objects.requireNonNull(values, "values"),
                values.length);
    }

    /** Takes ownership of {@code values}: the caller must not change the array afterwards. */
    public static Tensor wrapBooleans(int[] shape, boolean[] values) {
        return new Tensor(ElementType.I1, shape.clone(), Objects.requireNonNull(values, "values"),
                values.length);
    }

    // ---- shape ----

    public ElementType elementType() {
        return elementType;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /**
     * @throws IndexOutOfBoundsException naming the axis and the rank
     */
    public int dim(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " of a rank-" + shape.length
                    + " tensor");
        }
        return shape[axis];
    }

    /** Number of elements (1 for rank 0). */
    public int size() {
        return size;
    }

    /** Whether the shape equals {@code dims}. */
    public boolean hasShape(int... dims) {
        return Arrays.equals(shape, dims);
    }

    /** Row-major strides in elements, e.g. {@code [4, 1]} for shape {@code [2, 4]}. */
    public int[] strides() {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The same elements under another shape of the same size. */
    public Tensor reshape(int... newShape) {
        return new Tensor(elementType, newShape.clone(), data, size);
    }

    // ---- element reads (no allocation) ----

    /** Element {@code i} of the flat storage as a double. */
    public double getDouble(int i) {
        checkIndex(i);
        return switch (elementType) {
            case F32 -> ((float[]) data)[i];
            case F64 -> ((double[]) data)[i];
            case I32 -> ((int[]) data)[i];
            case I64, INDEX -> ((long[]) data)[i];
            case I1 -> ((boolean[]) data)[i] ? 1 : 0;
        };
    }

    /** Element {@code i} of the flat storage as a float. */
    public float getFloat(int i) {
        return elementType == ElementType.F32 ? ((float[]) data)[checkIndex(i)] : (float) getDouble(i);
    }

    /** Element {@code i} of the flat storage as a long (floats truncated). */
    public long getLong(int i) {
        checkIndex(i);
        return switch (elementType) {
            case I32 -> ((int[]) data)[i];
            case I64, INDEX -> ((long[]) data)[i];
            case I1 -> ((boolean[]) data)[i] ? 1 : 0;
            case F32 -> (long) ((float[]) data)[i];
            case F64 -> (long) ((double[]) data)[i];
        };
    }

    /** Element {@code i} of the flat storage as a boolean (non-zero is true). */
    public boolean getBoolean(int i) {
        return elementType == ElementType.I1 ? ((boolean[]) data)[checkIndex(i)] : getDouble(i) != 0;
    }

    /** Element at the given coordinates (one per axis) as a double. */
    public double getDouble(int... index) {
        return getDouble(flatIndex(index));
    }

    /**
     * Flat row-major position of a coordinate.
     *
     * @throws IndexOutOfBoundsException naming the axis and its bound
     */
    public int flatIndex(int... index) {
        if (index.length != shape.length) {
            throw new IndexOutOfBoundsException(index.length + " indices for a rank-" + shape.length
                    + " tensor");
        }
        int flat = 0;
        for (int a = 0; a < shape.length; a++) {
            if (index[a] < 0 || index[a] >= shape[a]) {
                throw new IndexOutOfBoundsException("index " + index[a] + " on axis " + a
                        + " of size " + shape[a]);
            }
            flat = flat * shape[a] + index[a];
        }
        return flat;
    }

    // ---- bulk reads ----

    /**
     * Copies the {@code f32} elements into {@code dst} from {@code offset}.
     *
     * @throws IllegalStateException if the element type is not {@code f32}
     */
    public void copyTo(float[] dst, int offset) {
        requireType(ElementType.F32);
        System.arraycopy(data, 0, dst, offset, size);
    }

    /** Copies the {@code f64} elements into {@code dst} from {@code offset}. */
    public void copyTo(double[] dst, int offset) {
        requireType(ElementType.F64);
        System.arraycopy(data, 0, dst, offset, size);
    }

    /** Copies the {@code i32} elements into {@code dst} from {@code offset}. */
    public void copyTo(int[] dst, int offset) {
        requireType(ElementType.I32);
        System.arraycopy(data, 0, dst, offset, size);
    }

    /** Copies the {@code i64} or {@code index} elements into {@code dst} from {@code offset}. */
    public void copyTo(long[] dst, int offset) {
        if (elementType != ElementType.I64 && elementType != ElementType.INDEX) {
            throw new IllegalStateException("tensor of " + elementType + " has no long[] storage");
        }
        System.arraycopy(data, 0, dst, offset, size);
    }

    /** Copies the {@code i1} elements into {@code dst} from {@code offset}. */
    public void copyTo(boolean[] dst, int offset) {
        requireType(ElementType.I1);
        System.arraycopy(data, 0, dst, offset, size);
    }

    // ---- zero-copy read-only views ----

    /**
     * A read-only view of the {@code f32} storage, without copying: position 0, limit and
     * capacity {@link #size()}, native order. Each call returns a new buffer object (its position
     * and limit are the caller's); absolute reads such as {@link FloatBuffer#get(int, float[],
     * int, int)} are safe from several threads. Writing through it throws {@link
     * java.nio.ReadOnlyBufferException}; {@link FloatBuffer#hasArray()} is false.
     *
     * @throws IllegalStateException if the element type is not {@code f32}
     * @since 1.1
     */
    public FloatBuffer floatBuffer() {
        requireType(ElementType.F32);
        return FloatBuffer.wrap((float[]) data).asReadOnlyBuffer();
    }

    /**
     * A read-only view of the {@code f64} storage, without copying (see {@link #floatBuffer()}).
     *
     * @throws IllegalStateException if the element type is not {@code f64}
     * @since 1.1
     */
    public DoubleBuffer doubleBuffer() {
        requireType(ElementType.F64);
        return DoubleBuffer.wrap((double[]) data).asReadOnlyBuffer();
    }

    /**
     * A read-only view of the {@code i32} storage, without copying (see {@link #floatBuffer()}).
     *
     * @throws IllegalStateException if the element type is not {@code i32}
     * @since 1.1
     */
    public IntBuffer intBuffer() {
        requireType(ElementType.I32);
        return IntBuffer.wrap((int[]) data).asReadOnlyBuffer();
    }

    /**
     * A read-only view of the {@code i64} or {@code index} storage, without copying (see {@link
     * #floatBuffer()}). {@code i1} tensors have no buffer view: read them with {@link
     * #getBoolean(int)} or {@link #copyTo(boolean[], int)}.
     *
     * @throws IllegalStateException if the element type is neither {@code i64} nor {@code index}
     * @since 1.1
     */
    public LongBuffer longBuffer() {
        if (elementType != ElementType.I64 && elementType != ElementType.INDEX) {
            throw new IllegalStateException("tensor of " + elementType + " has no long[] storage");
        }
        return LongBuffer.wrap((long[]) data).asReadOnlyBuffer();
    }

    /** A copy of the elements as floats (converted when the type is not {@code f32}). */
    public float[] toFloatArray() {
        if (elementType == ElementType.F32) {
            return ((float[]) data).clone();
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    /** A copy of the elements as doubles (converted when the type is not {@code f64}). */
    public double[] toDoubleArray() {
        if (elementType == ElementType.F64) {
            return ((double[]) data).clone();
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** A copy of the elements as ints (converted by primitive casts). */
    public int[] toIntArray() {
        if (elementType == ElementType.I32) {
            return ((int[]) data).clone();
        }
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = (int) getLong(i);
        }
        return out;
    }

    /** A copy of the elements as longs (converted by primitive casts). */
    public long[] toLongArray() {
        if (elementType == ElementType.I64 || elementType == ElementType.INDEX) {
            return ((long[]) data).clone();
        }
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** A copy of the elements as booleans (non-zero is true). */
    public boolean[] toBooleanArray() {
        if (elementType == ElementType.I1) {
            return ((boolean[]) data).clone();
        }
        boolean[] out = new boolean[size];
        for (int i = 0; i < size; i++) {
            out[i] = getDouble(i) != 0;
        }
        return out;
    }

    /** The same values converted to another element type. */
    public Tensor as(ElementType type) {
        return type == elementType ? this : of(type, shape, toDoubleArray());
    }

    /**
     * Whether {@code other} has the same shape and every element differs by at most {@code
     * absTol + relTol * |other|} (NaN equals NaN). Element types may differ.
     */
    public boolean isCloseTo(Tensor other, double relTol, double absTol) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            double a = getDouble(i);
            double b = other.getDouble(i);
            if (Double.isNaN(a) || Double.isNaN(b)) {
                if (Double.isNaN(a) != Double.isNaN(b)) {
                    return false;
                }
            } else if (a != b && Math.abs(a - b) > absTol + relTol * Math.abs(b)) {
                return false;
            }
        }
        return true;
    }

    /** The MLIR type, e.g. {@code tensor<2x4xf32>}. */
    public TensorType type() {
        return TensorType.ranked(elementType, shape);
    }

    /** Equal when element type, shape and every element are equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Tensor t) || t.elementType != elementType || !Arrays.equals(shape, t.shape)) {
            return false;
        }
        return switch (elementType) {
            case F32 -> Arrays.equals((float[]) data, (float[]) t.data);
            case F64 -> Arrays.equals((double[]) data, (double[]) t.data);
            case I32 -> Arrays.equals((int[]) data, (int[]) t.data);
            case I64, INDEX -> Arrays.equals((long[]) data, (long[]) t.data);
            case I1 -> Arrays.equals((boolean[]) data, (boolean[]) t.data);
        };
    }

    @Override
    public int hashCode() {
        int h = 31 * elementType.hashCode() + Arrays.hashCode(shape);
        return 31 * h + switch (elementType) {
            case F32 -> Arrays.hashCode((float[]) data);
            case F64 -> Arrays.hashCode((double[]) data);
            case I32 -> Arrays.hashCode((int[]) data);
            case I64, INDEX -> Arrays.hashCode((long[]) data);
            case I1 -> Arrays.hashCode((boolean[]) data);
        };
    }

    /** Type and up to the first 8 elements, e.g. {@code tensor<2x2xf32> [1.0, 2.0, 3.0, 4.0]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type().toString()).append(" [");
        int n = Math.min(size, 8);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            switch (elementType) {
                case F32 -> sb.append(getFloat(i));
                case F64 -> sb.append(getDouble(i));
                case I1 -> sb.append(getBoolean(i));
                default -> sb.append(getLong(i));
            }
        }
        if (size > n) {
            sb.append(", ... (").append(size).append(" elements)");
        }
        return sb.append(']').toString();
    }

    // ---- helpers ----

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("element " + i + " of a tensor of " + size);
        }
        return i;
    }

    private void requireType(ElementType t) {
        if (elementType != t) {
            throw new IllegalStateException("tensor of " + elementType + " has no " + t + " storage");
        }
    }

    private static int checkedSize(int[] shape) {
        Objects.requireNonNull(shape, "shape");
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + shapeString(shape)
                        + " is negative");
            }
            n *= shape[i];
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + shapeString(shape)
                        + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    static String shapeString(int[] shape) {
        return Arrays.toString(shape);
    }

    private static Object newStorage(ElementType type, int n) {
        return switch (type) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64, INDEX -> new long[n];
            case I1 -> new boolean[n];
        };
    }

    private static Object convert(ElementType type, double[] v) {
        int n = v.length;
        switch (type) {
            case F64:
                return v.clone();
            case F32: {
                float[] o = new float[n];
                for (int i = 0; i < n; i++) {
                    o[i] = (float) v[i];
                }
                return o;
            }
            case I32: {
                int[] o = new int[n];
                for (int i = 0; i < n; i++) {
                    o[i] = (int) v[i];
                }
                return o;
            }
            case I64:
            case INDEX: {
                long[] o = new long[n];
                for (int i = 0; i < n; i++) {
                    o[i] = (long) v[i];
                }
                return o;
            }
            default: {
                boolean[] o = new boolean[n];
                for (int i = 0; i < n; i++) {
                    o[i] = v[i] != 0;
                }
                return o;
            }
        }
    }
}
