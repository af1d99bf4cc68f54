package io.chronofabric.api.compute;

import java.util.Arrays;
import java.util.Objects;

/**
 * The type of a function argument or result: a scalar ({@code f32}), a ranked tensor whose
 * dimensions may be dynamic ({@code tensor<?x4xf32>}) or an unranked tensor ({@code
 * tensor<*xf32>}). Immutable.
 *
 * @since 1.1
 */
public final class TensorType {

    /** A dynamic dimension ({@code ?} in MLIR). */
    public static final int DYNAMIC = -1;

    private final ElementType elementType;
    private final int[] shape; // null when unranked
    private final boolean scalar;

    private TensorType(ElementType elementType, int[] shape, boolean scalar) {
        this.elementType = Objects.requireNonNull(elementType, "elementType");
        this.shape = shape;
        this.scalar = scalar;
    }

    /** A bare scalar such as {@code f32} (passed and returned as a rank-0 {@link Tensor}). */
    public static TensorType scalar(ElementType elementType) {
        return new TensorType(elementType, new int[0], true);
    }

    /**
     * A ranked tensor type; a dimension may be {@link #DYNAMIC}.
     *
     * @throws IllegalArgumentException for a dimension below {@code -1}
     */
    public static TensorType ranked(ElementType elementType, int... shape) {
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < DYNAMIC) {
                throw new IllegalArgumentException("dimension " + i + " of " + Arrays.toString(shape)
                        + " is negative");
            }
        }
        return new TensorType(elementType, shape.clone(), false);
    }

    /** An unranked tensor type {@code tensor<*xT>}. */
    public static TensorType unranked(ElementType elementType) {
        return new TensorType(elementType, null, false);
    }

    public ElementType elementType() {
        return elementType;
    }

    public boolean isScalar() {
        return scalar;
    }

    public boolean isRanked() {
        return shape != null;
    }

    /**
     * A copy of the shape, {@link #DYNAMIC} for a dynamic dimension.
     *
     * @throws IllegalStateException if unranked
     */
    public int[] shape() {
        if (shape == null) {
            throw new IllegalStateException(this + " is unranked");
        }
        return shape.clone();
    }

    /** Whether every dimension is known. */
    public boolean isStatic() {
        if (shape == null) {
            return false;
        }
        for (int d : shape) {
            if (d == DYNAMIC) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code value} does not fit this type, or {@code null} when it does. The text names
     * the element type or the dimension that differs, e.g. {@code "expected tensor<2x4xf32>,
     * got tensor<2x3xf32> (dimension 1 is 3, expected 4)"}.
     */
    public String mismatch(Tensor value) {
        if (value.elementType() != elementType) {
            return "expected " + this + ", got " + value.type() + " (element type "
                    + value.elementType() + ", expected " + elementType + ")";
        }
        if (shape == null) {
            return null;
        }
        if (value.rank() != shape.length) {
            return "expected " + this + ", got " + value.type() + " (rank " + value.rank()
                    + ", expected " + shape.length + ")";
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != DYNAMIC && shape[i] != value.dim(i)) {
                return "expected " + this + ", got " + value.type() + " (dimension " + i + " is "
                        + value.dim(i) + ", expected " + shape[i] + ")";
            }
        }
        return null;
    }

    /** Whether {@code value} fits this type ({@link #mismatch} is null). */
    public boolean accepts(Tensor value) {
        return mismatch(value) == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && t.elementType == elementType && t.scalar == scalar
                && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return (31 * elementType.hashCode() + Arrays.hashCode(shape)) * 2 + (scalar ? 1 : 0);
    }

    /** The MLIR spelling: {@code f32}, {@code tensor<2x?xf32>}, {@code tensor<*xf32>}. */
    @Override
    public String toString() {
        if (scalar) {
            return elementType.mlirName();
        }
        StringBuilder sb = new StringBuilder("tensor<");
        if (shape == null) {
            sb.append("*x");
        } else {
            for (int d : shape) {
                sb.append(d == DYNAMIC ? "?" : Integer.toString(d)).append('x');
            }
        }
        return sb.append(elementType.mlirName()).append('>').toString();
    }
}
