package io.chronofabric.compute.cpu.internal;

import io.chronofabric.compute.mlir.MlirException;
import io.chronofabric.compute.mlir.Ops;
import io.chronofabric.compute.mlir.Operation;
import io.chronofabric.compute.mlir.ScalarType;

/**
 * Elementwise loops over primitive arrays, one tight loop per op and type (so the JIT
 * vectorises them). Used for whole tensors and for the chunked registers of linalg.generic.
 * Integers live in long[]: i32 results are wrapped to 32 bits, i1 to 0/1.
 */
final class Kernels {

    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5, REM = 6, AND = 7, OR = 8, XOR = 9;
    static final int NEG = 0, EXP = 1, TANH = 2, SQRT = 3, LOG = 4, ABS = 5;

    private Kernels() {
    }

    static int binaryCode(String name) {
        return switch (name) {
            case "arith.addf", "arith.addi" -> ADD;
            case "arith.subf", "arith.subi" -> SUB;
            case "arith.mulf", "arith.muli" -> MUL;
            case "arith.divf", "arith.divsi" -> DIV;
            case "arith.maximumf", "arith.maxsi" -> MAX;
            case "arith.minimumf", "arith.minsi" -> MIN;
            case "arith.remsi" -> REM;
            case "arith.andi" -> AND;
            case "arith.ori" -> OR;
            case "arith.xori" -> XOR;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static int unaryCode(String name) {
        return switch (name) {
            case "arith.negf" -> NEG;
            case "math.exp" -> EXP;
            case "math.tanh" -> TANH;
            case "math.sqrt" -> SQRT;
            case "math.log" -> LOG;
            case "math.absf" -> ABS;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Relative cost of one element of a unary op for the parallel split (an add is 1). */
    static int unaryCost(int op) {
        return switch (op) {
            case EXP, TANH, LOG -> 20;
            case SQRT -> 4;
            default -> 1;
        };
    }

    static void binaryF32(int op, float[] a, float[] b, float[] o, int n) {
        binaryF32(op, a, b, o, 0, n);
    }

    /** Elements [lo, hi) only (a share of a whole-tensor op). */
    static void binaryF32(int op, float[] a, float[] b, float[] o, int lo, int hi) {
        switch (op) {
            case ADD -> { for (int i = lo; i < hi; i++) { o[i] = a[i] + b[i]; } }
            case SUB -> { for (int i = lo; i < hi; i++) { o[i] = a[i] - b[i]; } }
            case MUL -> { for (int i = lo; i < hi; i++) { o[i] = a[i] * b[i]; } }
            case DIV -> { for (int i = lo; i < hi; i++) { o[i] = a[i] / b[i]; } }
            case MAX -> { for (int i = lo; i < hi; i++) { o[i] = Math.max(a[i], b[i]); } }
            case MIN -> { for (int i = lo; i < hi; i++) { o[i] = Math.min(a[i], b[i]); } }
            default -> throw new IllegalArgumentException("float op " + op);
        }
    }

    static void binaryF64(int op, double[] a, double[] b, double[] o, int n) {
        binaryF64(op, a, b, o, 0, n);
    }

    /** Elements [lo, hi) only (a share of a whole-tensor op). */
    static void binaryF64(int op, double[] a, double[] b, double[] o, int lo, int hi) {
        switch (op) {
            case ADD -> { for (int i = lo; i < hi; i++) { o[i] = a[i] + b[i]; } }
            case SUB -> { for (int i = lo; i < hi; i++) { o[i] = a[i] - b[i]; } }
            case MUL -> { for (int i = lo; i < hi; i++) { o[i] = a[i] * b[i]; } }
            case DIV -> { for (int i = lo; i < hi; i++) { o[i] = a[i] / b[i]; } }
            case MAX -> { for (int i = lo; i < hi; i++) { o[i] = Math.max(a[i], b[i]); } }
            case MIN -> { for (int i = lo; i < hi; i++) { o[i] = Math.min(a[i], b[i]); } }
            default -> throw new IllegalArgumentException("float op " + op);
        }
    }

    /** Integer ops; {@code where} names the op for a division by zero. */
    static void binaryInt(int op, ScalarType t, long[] a, long[] b, long[] o, int n, Operation where) {
        binaryInt(op, t, a, b, o, 0, n, where);
    }

    /** Elements [lo, hi) only. */
    static void binaryInt(int op, ScalarType t, long[] a, long[] b, long[] o, int lo, int hi, Operation where) {
        switch (op) {
            case ADD -> { for (int i = lo; i < hi; i++) { o[i] = a[i] + b[i]; } }
            case SUB -> { for (int i = lo; i < hi; i++) { o[i] = a[i] - b[i]; } }
            case MUL -> { for (int i = lo; i < hi; i++) { o[i] = a[i] * b[i]; } }
            case DIV, REM -> {
                for (int i = lo; i < hi; i++) {
                    if (b[i] == 0) {
                        throw new MlirException(where.location(), "division by zero in '" + where.name() + "'");
                    }
                    o[i] = op == DIV ? a[i] / b[i] : a[i] % b[i];
                }
            }
            case MAX -> { for (int i = lo; i < hi; i++) { o[i] = Math.max(a[i], b[i]); } }
            case MIN -> { for (int i = lo; i < hi; i++) { o[i] = Math.min(a[i], b[i]); } }
            case AND -> { for (int i = lo; i < hi; i++) { o[i] = a[i] & b[i]; } }
            case OR -> { for (int i = lo; i < hi; i++) { o[i] = a[i] | b[i]; } }
            case XOR -> { for (int i = lo; i < hi; i++) { o[i] = a[i] ^ b[i]; } }
            default -> throw new IllegalArgumentException("int op " + op);
        }
        wrap(t, o, lo, hi);
    }

    /** Keeps i32 and i1 values in range after an operation in 64 bits. */
    static void wrap(ScalarType t, long[] o, int n) {
        wrap(t, o, 0, n);
    }

    static void wrap(ScalarType t, long[] o, int lo, int hi) {
        if (t == ScalarType.I32) {
            for (int i = lo; i < hi; i++) {
                o[i] = (int) o[i];
            }
        } else if (t == ScalarType.I1) {
            for (int i = lo; i < hi; i++) {
                o[i] &= 1;
            }
        }
    }

    static void unaryF32(int op, float[] a, float[] o, int n) {
        unaryF32(op, a, o, 0, n);
    }

    /** Elements [lo, hi) only (a share of a whole-tensor op). */
    static void unaryF32(int op, float[] a, float[] o, int lo, int hi) {
        switch (op) {
            case NEG -> { for (int i = lo; i < hi; i++) { o[i] = -a[i]; } }
            case EXP -> { for (int i = lo; i < hi; i++) { o[i] = (float) Math.exp(a[i]); } }
            case TANH -> { for (int i = lo; i < hi; i++) { o[i] = (float) Math.tanh(a[i]); } }
            case SQRT -> { for (int i = lo; i < hi; i++) { o[i] = (float) Math.sqrt(a[i]); } }
            case LOG -> { for (int i = lo; i < hi; i++) { o[i] = (float) Math.log(a[i]); } }
            case ABS -> { for (int i = lo; i < hi; i++) { o[i] = Math.abs(a[i]); } }
            default -> throw new IllegalArgumentException("unary op " + op);
        }
    }

    static void unaryF64(int op, double[] a, double[] o, int n) {
        unaryF64(op, a, o, 0, n);
    }

    /** Elements [lo, hi) only (a share of a whole-tensor op). */
    static void unaryF64(int op, double[] a, double[] o, int lo, int hi) {
        switch (op) {
            case NEG -> { for (int i = lo; i < hi; i++) { o[i] = -a[i]; } }
            case EXP -> { for (int i = lo; i < hi; i++) { o[i] = Math.exp(a[i]); } }
            case TANH -> { for (int i = lo; i < hi; i++) { o[i] = Math.tanh(a[i]); } }
            case SQRT -> { for (int i = lo; i < hi; i++) { o[i] = Math.sqrt(a[i]); } }
            case LOG -> { for (int i = lo; i < hi; i++) { o[i] = Math.log(a[i]); } }
            case ABS -> { for (int i = lo; i < hi; i++) { o[i] = Math.abs(a[i]); } }
            default -> throw new IllegalArgumentException("unary op " + op);
        }
    }

    /** cmpf with predicate index of {@link Ops#CMPF_PREDICATES}; result 0/1. */
    static void cmpF(int pred, Object a, Object b, long[] o, int n) {
        cmpF(pred, a, b, o, 0, n);
    }

    /** Elements [lo, hi) only (a share of a whole-tensor op). */
    static void cmpF(int pred, Object a, Object b, long[] o, int lo, int hi) {
        if (a instanceof float[] x) {
            float[] y = (float[]) b;
            for (int i = lo; i < hi; i++) {
                o[i] = cmpf(pred, x[i], y[i]) ? 1 : 0;
            }
        } else {
            double[] x = (double[]) a;
            double[] y = (double[]) b;
            for (int i = lo; i < hi; i++) {
                o[i] = cmpf(pred, x[i], y[i]) ? 1 : 0;
            }
        }
    }

    static boolean cmpf(int pred, double a, double b) {
        boolean unordered = Double.isNaN(a) || Double.isNaN(b);
        return switch (pred) {
            case 0 -> false;
            case 1 -> !unordered && a == b;
            case 2 -> !unordered && a > b;
            case 3 -> !unordered && a >= b;
            case 4 -> !unordered && a < b;
            case 5 -> !unordered && a <= b;
            case 6 -> !unordered && a != b;
            case 7 -> !unordered;
            case 8 -> unordered || a == b;
            case 9 -> unordered || a > b;
            case 10 -> unordered || a >= b;
            case 11 -> unordered || a < b;
            case 12 -> unordered || a <= b;
            case 13 -> unordered || a != b;
            case 14 -> unordered;
            default -> true;
        };
    }

    /** cmpi with predicate index of {@link Ops#CMPI_PREDICATES}. */
    static void cmpI(int pred, ScalarType t, long[] a, long[] b, long[] o, int n) {
        cmpI(pred, t, a, b, o, 0, n);
    }

    /** Elements [lo, hi) only (a share of a whole-tensor op). */
    static void cmpI(int pred, ScalarType t, long[] a, long[] b, long[] o, int lo, int hi) {
        long mask = t == ScalarType.I32 ? 0xFFFF_FFFFL : t == ScalarType.I1 ? 1L : -1L;
        for (int i = lo; i < hi; i++) {
            long x = a[i];
            long y = b[i];
            boolean r = switch (pred) {
                case 0 -> x == y;
                case 1 -> x != y;
                case 2 -> signed(t, x) < signed(t, y);
                case 3 -> signed(t, x) <= signed(t, y);
                case 4 -> signed(t, x) > signed(t, y);
                case 5 -> signed(t, x) >= signed(t, y);
                case 6 -> Long.compareUnsigned(x & mask, y & mask) < 0;
                case 7 -> Long.compareUnsigned(x & mask, y & mask) <= 0;
                case 8 -> Long.compareUnsigned(x & mask, y & mask) > 0;
                default -> Long.compareUnsigned(x & mask, y & mask) >= 0;
            };
            o[i] = r ? 1 : 0;
        }
    }

    /** i1 true is -1 when read as signed (MLIR's two's complement 1-bit integer). */
    private static long signed(ScalarType t, long v) {
        return t == ScalarType.I1 ? -v : v;
    }

    static void select(long[] c, boolean scalarCond, Object a, Object b, Object o, int n) {
        select(c, scalarCond, a, b, o, 0, n);
    }

    /** Elements [lo, hi) only (a share of a whole-tensor op). */
    static void select(long[] c, boolean scalarCond, Object a, Object b, Object o, int lo, int hi) {
        if (o instanceof float[] out) {
            float[] x = (float[]) a;
            float[] y = (float[]) b;
            for (int i = lo; i < hi; i++) {
                out[i] = c[scalarCond ? 0 : i] != 0 ? x[i] : y[i];
            }
        } else if (o instanceof double[] out) {
            double[] x = (double[]) a;
            double[] y = (double[]) b;
            for (int i = lo; i < hi; i++) {
                out[i] = c[scalarCond ? 0 : i] != 0 ? x[i] : y[i];
            }
        } else {
            long[] out = (long[]) o;
            long[] x = (long[]) a;
            long[] y = (long[]) b;
            for (int i = lo; i < hi; i++) {
                out[i] = c[scalarCond ? 0 : i] != 0 ? x[i] : y[i];
            }
        }
    }

    /** The casts of {@link Ops#CASTS}; {@code a} and {@code o} are the arrays of their types. */
    static void cast(String name, ScalarType from, ScalarType to, Object a, Object o, int n) {
        cast(name, from, to, a, o, 0, n);
    }

    /** Elements [lo, hi) only (a share of a whole-tensor op). */
    static void cast(String name, ScalarType from, ScalarType to, Object a, Object o, int lo, int hi) {
        if (!from.isFloat() && !to.isFloat()) { // index_cast, extsi, trunci
            long[] x = (long[]) a;
            long[] y = (long[]) o;
            for (int i = lo; i < hi; i++) {
                y[i] = signed(from, x[i]);
            }
            wrap(to, y, lo, hi);
        } else if (!from.isFloat()) { // sitofp
            long[] x = (long[]) a;
            if (o instanceof float[] y) {
                for (int i = lo; i < hi; i++) {
                    y[i] = (float) signed(from, x[i]);
                }
            } else {
                double[] y = (double[]) o;
                for (int i = lo; i < hi; i++) {
                    y[i] = signed(from, x[i]);
                }
            }
        } else if (!to.isFloat()) { // fptosi
            long[] y = (long[]) o;
            for (int i = lo; i < hi; i++) {
                double v = a instanceof float[] x ? x[i] : ((double[]) a)[i];
                y[i] = to == ScalarType.I32 ? (int) v : (long) v;
            }
            wrap(to, y, lo, hi);
        } else if (to == ScalarType.F64) { // extf
            float[] x = (float[]) a;
            double[] y = (double[]) o;
            for (int i = lo; i < hi; i++) {
                y[i] = x[i];
            }
        } else { // truncf
            double[] x = (double[]) a;
            float[] y = (float[]) o;
            for (int i = lo; i < hi; i++) {
                y[i] = (float) x[i];
            }
        }
    }

    /** A new array of type {@code t} for {@code n} elements. */
    static Object newArray(ScalarType t, int n) {
        return switch (t) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            default -> new long[n];
        };
    }

    static void fill(Object array, int from, int to, double fv, long lv) {
        if (array instanceof float[] a) {
            java.util.Arrays.fill(a, from, to, (float) fv);
        } else if (array instanceof double[] a) {
            java.util.Arrays.fill(a, from, to, fv);
        } else {
            java.util.Arrays.fill((long[]) array, from, to, lv);
        }
    }
}
