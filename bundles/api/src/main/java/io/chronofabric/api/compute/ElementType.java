package io.chronofabric.api.compute;

/**
 * Element types of a {@link Tensor}, with their MLIR spelling and the Java array that stores them.
 *
 * <table>
 * <caption>Storage</caption>
 * <tr><th>type</th><th>MLIR</th><th>storage</th></tr>
 * <tr><td>{@link #F32}</td><td>{@code f32}</td><td>{@code float[]}</td></tr>
 * <tr><td>{@link #F64}</td><td>{@code f64}</td><td>{@code double[]}</td></tr>
 * <tr><td>{@link #I32}</td><td>{@code i32}</td><td>{@code int[]}</td></tr>
 * <tr><td>{@link #I64}</td><td>{@code i64}</td><td>{@code long[]}</td></tr>
 * <tr><td>{@link #INDEX}</td><td>{@code index}</td><td>{@code long[]} (64-bit here)</td></tr>
 * <tr><td>{@link #I1}</td><td>{@code i1}</td><td>{@code boolean[]}</td></tr>
 * </table>
 *
 * @since 1.1
 */
public enum ElementType {
    F32("f32", 4, true),
    F64("f64", 8, true),
    I32("i32", 4, false),
    I64("i64", 8, false),
    INDEX("index", 8, false),
    I1("i1", 1, false);

    private final String mlirName;
    private final int byteSize;
    private final boolean floatingPoint;

    ElementType(String mlirName, int byteSize, boolean floatingPoint) {
        this.mlirName = mlirName;
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** The MLIR spelling, e.g. {@code f32}. */
    public String mlirName() {
        return mlirName;
    }

    /** Bytes of one element on a device ({@code i1} counts one byte). */
    public int byteSize() {
        return byteSize;
    }

    /** Whether it is {@code f32} or {@code f64}. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /**
     * The element type of an MLIR spelling.
     *
     * @throws IllegalArgumentException naming the spelling and the supported ones
     */
    public static ElementType fromMlir(String name) {
        for (ElementType t : values()) {
            if (t.mlirName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported element type '" + name
                + "': expected one of f32, f64, i32, i64, index, i1");
    }

    @Override
    public String toString() {
        return mlirName;
    }
}
