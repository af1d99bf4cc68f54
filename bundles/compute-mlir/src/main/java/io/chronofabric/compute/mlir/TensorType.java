package io.chronofabric.compute.mlir;

import java.util.Arrays;

/**
 * {@code tensor<AxBxf32>} with a static shape, or the unranked {@code tensor<*xf32>}. Rank 0
 * ({@code tensor<f32>}) holds one element. Immutable.
 */
public final class TensorType implements Type {

    private final int[] shape; // null: unranked
    private final ScalarType element;

    private TensorType(int[] shape, ScalarType element) {
        this.shape = shape;
        this.element = element;
    }

    public static TensorType ranked(ScalarType element, int... shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
        }
        return new TensorType(shape.clone(), element);
    }

    public static TensorType unranked(ScalarType element) {
        return new TensorType(null, element);
    }

    public boolean isRanked() {
        return shape != null;
    }

    /** The rank; -1 when unranked. */
    public int rank() {
        return shape == null ? -1 : shape.length;
    }

    /** A copy of the shape; throws for an unranked tensor. */
    public int[] shape() {
        if (shape == null) {
            throw new IllegalStateException(text() + " is unranked: it has no shape");
        }
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis];
    }

    /** Number of elements (product of the shape); throws when unranked or over 2^31-1. */
    public int elements() {
        long n = 1;
        for (int d : shape()) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalStateException(text() + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    public ScalarType element() {
        return element;
    }

    /** Same shape, another element type. */
    public TensorType withElement(ScalarType e) {
        return new TensorType(shape, e);
    }

    /** MLIR's cast compatibility: same element type, and the same shape unless one is unranked. */
    public boolean isCastCompatible(TensorType other) {
        return element == other.element && (shape == null || other.shape == null || Arrays.equals(shape, other.shape));
    }

    @Override
    public String text() {
        StringBuilder b = new StringBuilder("tensor<");
        if (shape == null) {
            b.append("*x");
        } else {
            for (int d : shape) {
                b.append(d).append('x');
            }
        }
        return b.append(element.text()).append('>').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && t.element == element && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * element.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return text();
    }
}
