package io.chronofabric.compute.mlir;

/** The scalar (element) types of the subset. */
public enum ScalarType implements Type {
    F32("f32", 32, true),
    F64("f64", 64, true),
    I1("i1", 1, false),
    I32("i32", 32, false),
    I64("i64", 64, false),
    /** MLIR's {@code index}: 64-bit here (the host's pointer width, as mlir-cpu-runner uses). */
    INDEX("index", 64, false);

    private final String text;
    private final int bits;
    private final boolean floating;

    ScalarType(String text, int bits, boolean floating) {
        this.text = text;
        this.bits = bits;
        this.floating = floating;
    }

    @Override
    public String text() {
        return text;
    }

    public int bits() {
        return bits;
    }

    public boolean isFloat() {
        return floating;
    }

    /** i1, i32, i64 or index. */
    public boolean isIntegerOrIndex() {
        return !floating;
    }

    /** The scalar type spelled {@code s}, or null. */
    public static ScalarType of(String s) {
        for (ScalarType t : values()) {
            if (t.text.equals(s)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
