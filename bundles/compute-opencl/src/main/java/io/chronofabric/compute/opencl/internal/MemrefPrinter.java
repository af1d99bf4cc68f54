package io.chronofabric.compute.opencl.internal;

import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * (A copy of the console's printer.) Prints a tensor the way mlir-cpu-runner's {@code printMemrefF32} does (MLIR's
 * {@code RunnerUtils.h}: a header line, then nested rows; elements as C++ {@code ostream}
 * writes them: 6 significant digits, {@code nan}, {@code inf}). There is no memory address in
 * Java: {@code base@} shows the tensor's identity hash.
 */
final class MemrefPrinter {

    private MemrefPrinter() {
    }

    static String print(Tensor t) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        StringBuilder sb = new StringBuilder("Unranked Memref base@ = 0x")
                .append(Long.toHexString(System.identityHashCode(t)))
                .append(" rank = ").append(shape.length).append(" offset = 0 sizes = ").append(Arrays.toString(shape))
                .append(" strides = ").append(Arrays.toString(strides)).append(" data = \n");
        if (shape.length == 0) {
            sb.append('[');
            element(sb, t, 0);
            sb.append(']');
        } else {
            print(sb, t, shape.length, shape.length, 0, shape, strides, 0);
        }
        return sb.append('\n').toString();
    }

    private static void spaces(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }

    private static void print(StringBuilder sb, Tensor t, int dim, int rank, int offset, int[] sizes, int[] strides, int axis) {
        if (dim == 0) {
            element(sb, t, offset);
            return;
        }
        int size = sizes[axis];
        sb.append('[');
        if (size == 0) {
            sb.append(']');
            return;
        }
        print(sb, t, dim - 1, rank, offset, sizes, strides, axis + 1);
        if (size <= 1) {
            sb.append(']');
            return;
        }
        sb.append(dim > 1 ? ", \n" : ", ");
        for (int i = 1; i + 1 < size; i++) {
            spaces(sb, rank - dim + 1);
            print(sb, t, dim - 1, rank, offset + i * strides[axis], sizes, strides, axis + 1);
            sb.append(dim > 1 ? ", \n" : ", ");
        }
        spaces(sb, rank - dim + 1);
        print(sb, t, dim - 1, rank, offset + (size - 1) * strides[axis], sizes, strides, axis + 1);
        sb.append(']');
    }

    private static void element(StringBuilder sb, Tensor t, int i) {
        ElementType e = t.elementType();
        if (e.isFloatingPoint()) {
            sb.append(cpp(e == ElementType.F32 ? t.getFloat(i) : t.getDouble(i)));
        } else {
            sb.append(t.getLong(i));
        }
    }

    /** A double as C++'s default {@code ostream << double} writes it ({@code %g}, 6 significant digits). */
    static String cpp(double v) {
        if (Double.isNaN(v)) {
            return Double.doubleToRawLongBits(v) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        String s = String.format(Locale.ROOT, "%.6g", v);
        // %g in C strips trailing zeros (without '#'); Java's keeps them
        int e = s.indexOf('e');
        String mant = e < 0 ? s : s.substring(0, e);
        String exp = e < 0 ? "" : s.substring(e);
        if (mant.indexOf('.') >= 0) {
            mant = mant.replaceAll("0+$", "");
            if (mant.endsWith(".")) {
                mant = mant.substring(0, mant.length() - 1);
            }
        }
        return mant + exp;
    }
}
