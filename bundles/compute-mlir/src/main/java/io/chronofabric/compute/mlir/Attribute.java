package io.chronofabric.compute.mlir;

import java.util.List;
import java.util.Map;

/** An attribute value. Ops read theirs through {@link Operation}'s accessors. */
public sealed interface Attribute {

    /** {@code 42 : i64}, {@code true} (an i1), {@code 3 : index}. */
    record IntegerAttr(long value, ScalarType type) implements Attribute {
    }

    /** {@code 1.5 : f32}; hexadecimal bit patterns ({@code 0x7F800000 : f32}) are decoded. */
    record FloatAttr(double value, ScalarType type) implements Attribute {
    }

    record StringAttr(String value) implements Attribute {
    }

    /** {@code [a, b]}. */
    record ArrayAttr(List<Attribute> values) implements Attribute {
        public ArrayAttr {
            values = List.copyOf(values);
        }
    }

    /** {@code array<i32: 2, 1>}. */
    record DenseArrayAttr(ScalarType type, long[] values) implements Attribute {
    }

    /**
     * {@code dense<...> : tensor<...>}. Values are in row-major order, {@code elements()} of them
     * (a splat is expanded by {@link #valueAt}); floats in {@code floats}, integers (i1 as 0/1)
     * in {@code ints}; the other array is null.
     */
    record DenseElementsAttr(TensorType type, boolean splat, double[] floats, long[] ints) implements Attribute {

        public int count() {
            return type.elements();
        }

        public double floatAt(int i) {
            return floats != null ? floats[splat ? 0 : i] : ints[splat ? 0 : i];
        }

        public long intAt(int i) {
            return ints != null ? ints[splat ? 0 : i] : (long) floats[splat ? 0 : i];
        }
    }

    record AffineMapAttr(AffineMap map) implements Attribute {
    }

    record TypeAttr(Type type) implements Attribute {
    }

    /** A present attribute without value ({@code {llvm.emit_c_interface}}). */
    record UnitAttr() implements Attribute {
    }

    /** {@code @name}. */
    record SymbolRefAttr(String name) implements Attribute {
    }

    record DictionaryAttr(Map<String, Attribute> values) implements Attribute {
        public DictionaryAttr {
            values = Map.copyOf(values);
        }
    }

    /**
     * A dialect attribute kept as written: {@code #linalg.iterator_type<parallel>} gives
     * dialect {@code linalg}, name {@code iterator_type}, body {@code parallel}; the
     * {@code fastmath<fast>} keyword of a pretty op becomes {@code arith.fastmath<fast>}.
     */
    record DialectAttr(String dialect, String name, String body) implements Attribute {
    }
}
