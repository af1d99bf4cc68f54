package io.chronofabric.compute.cpu.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Prints a tensor the way MLIR's runner utilities print an unranked memref
 * ({@code printMemrefF32} and friends in mlir-cpu-runner): a header line
 * {@code Unranked Memref base@ = 0x... rank = 2 offset = 0 sizes = [2, 4] strides = [4, 1] data = }
 * then nested rows, floats like C++'s {@code ostream <<} (6 significant digits, %g style).
 */
final class MemrefPrinter {

    private MemrefPrinter() {
    }

    static String print(CpuTensor t, long fakeBase) {
        StringBuilder b = new StringBuilder();
        int rank = t.rank();
        int[] strides = new int[rank];
        int s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            strides[i] = s;
            s *= t.shape[i];
        }
        b.append("Unranked Memref base@ = 0x").append(Long.toHexString(fakeBase)).append(" rank = ").append(rank)
                .append(" offset = 0 sizes = ").append(list(t.shape)).append(" strides = ").append(list(strides))
                .append(" data = \n");
        if (rank == 0) {
            b.append('[').append(element(t, 0)).append(']');
        } else {
            print(b, t, 0, 0, strides);
        }
        return b.append('\n').toString();
    }

    private static void print(StringBuilder b, CpuTensor t, int axis, int offset, int[] strides) {
        int rank = t.rank();
        int dim = rank - axis; // MLIR's "dim": 1 for the innermost
        int size = t.shape[axis];
        b.append('[');
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                b.append(" ".repeat(rank - dim + 1));
            }
            if (dim == 1) {
                b.append(element(t, offset + i * strides[axis]));
            } else {
                print(b, t, axis + 1, offset + i * strides[axis], strides);
            }
            if (i < size - 1) {
                b.append(", ");
                if (dim > 1) {
                    b.append('\n');
                }
            }
        }
        b.append(']');
    }

    private static String list(int[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return b.append(']').toString();
    }

    private static String element(CpuTensor t, int i) {
        if (t.f != null) {
            return formatG(t.f[i]);
        }
        if (t.d != null) {
            return formatG(t.d[i]);
        }
        return Long.toString(t.l[i]);
    }

    /** C++ {@code std::ostream << double} with the default precision 6. */
    static String formatG(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal r = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1; // decimal exponent of the leading digit
        if (exp < -4 || exp >= 6) {
            BigDecimal mant = r.movePointLeft(exp);
            String m = strip(mant.setScale(5, RoundingMode.HALF_EVEN).toPlainString());
            return m + (exp < 0 ? "e-" : "e+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return strip(r.setScale(Math.max(0, 5 - exp), RoundingMode.HALF_EVEN).toPlainString());
    }

    private static String strip(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
