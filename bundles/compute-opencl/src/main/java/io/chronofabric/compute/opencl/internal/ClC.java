package io.chronofabric.compute.opencl.internal;

import io.chronofabric.compute.mlir.Attribute;
import io.chronofabric.compute.mlir.Operation;
import io.chronofabric.compute.mlir.Ops;
import io.chronofabric.compute.mlir.ScalarType;
import io.chronofabric.compute.mlir.Type;
import io.chronofabric.compute.mlir.TensorType;
import io.chronofabric.compute.mlir.Value;
import java.util.List;
import java.util.function.Function;

/** OpenCL C spellings of the subset's scalar types, literals and scalar ops. */
final class ClC {

    private ClC() {
    }

    /** Helpers every program starts with (after the fp64 pragma when needed). */
    static final String PRELUDE = """
            inline float cf_maxf(float a, float b) { return (isnan(a) || isnan(b)) ? NAN : (a == b ? (signbit(a) ? b : a) : fmax(a, b)); }
            inline float cf_minf(float a, float b) { return (isnan(a) || isnan(b)) ? NAN : (a == b ? (signbit(a) ? a : b) : fmin(a, b)); }
            """;

    static final String PRELUDE_F64 = """
            #pragma OPENCL EXTENSION cl_khr_fp64 : enable
            inline double cf_maxd(double a, double b) { return (isnan(a) || isnan(b)) ? (double) NAN : (a == b ? (signbit(a) ? b : a) : fmax(a, b)); }
            inline double cf_mind(double a, double b) { return (isnan(a) || isnan(b)) ? (double) NAN : (a == b ? (signbit(a) ? a : b) : fmin(a, b)); }
            """;

    static ScalarType scalar(Type t) {
        return t instanceof TensorType tt ? tt.element() : (ScalarType) t;
    }

    static String type(ScalarType t) {
        return switch (t) {
            case F32 -> "float";
            case F64 -> "double";
            case I1 -> "uchar";
            case I32 -> "int";
            case I64, INDEX -> "long";
        };
    }

    private static String unsigned(ScalarType t) {
        return switch (t) {
            case I1 -> "uchar";
            case I32 -> "uint";
            default -> "ulong";
        };
    }

    static String floatLiteral(double v, ScalarType t) {
        String cast = "(" + type(t) + ")";
        if (Double.isNaN(v)) {
            return cast + "NAN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? cast + "INFINITY" : "(-" + cast + "INFINITY)";
        }
        return t == ScalarType.F32 ? "(" + Float.toHexString((float) v) + "f)" : "(" + Double.toHexString(v) + ")";
    }

    static String intLiteral(long v, ScalarType t) {
        if (t == ScalarType.I1) {
            return "((uchar)" + (v & 1) + ")";
        }
        if (t == ScalarType.I32) {
            return "((int)" + (int) v + ")";
        }
        return v == Long.MIN_VALUE ? "(-9223372036854775807L - 1)" : "(" + v + "L)";
    }

    /** The literal of a scalar {@code arith.constant}. */
    static String constant(Operation op) {
        ScalarType t = scalar(op.result().type());
        Attribute a = op.attribute("value");
        if (a instanceof Attribute.FloatAttr f) {
            return floatLiteral(f.value(), t);
        }
        if (a instanceof Attribute.IntegerAttr i) {
            return t.isFloat() ? floatLiteral(i.value(), t) : intLiteral(i.value(), t);
        }
        if (a instanceof Attribute.DenseElementsAttr d && d.splat()) {
            return t.isFloat() ? floatLiteral(d.floatAt(0), t) : intLiteral(d.intAt(0), t);
        }
        throw new Unsupported(op, "constant " + a + " is not a scalar");
    }

    /**
     * The C expression of a scalar op given C expressions of its operands.
     *
     * @throws Unsupported for an op outside the scalar ops
     */
    static String expr(Operation op, Function<Value, String> ref) {
        String name = op.name();
        List<Value> in = op.operands();
        if (name.equals("arith.constant")) {
            return constant(op);
        }
        ScalarType rt = scalar(op.result().type());
        String r = type(rt);
        if (Ops.FLOAT_BINARY.contains(name)) {
            String a = ref.apply(in.get(0));
            String b = ref.apply(in.get(1));
            boolean d = rt == ScalarType.F64;
            return switch (name) {
                case "arith.addf" -> "(" + a + " + " + b + ")";
                case "arith.subf" -> "(" + a + " - " + b + ")";
                case "arith.mulf" -> "(" + a + " * " + b + ")";
                case "arith.divf" -> "(" + a + " / " + b + ")";
                case "arith.maximumf" -> (d ? "cf_maxd(" : "cf_maxf(") + a + ", " + b + ")";
                default -> (d ? "cf_mind(" : "cf_minf(") + a + ", " + b + ")";
            };
        }
        if (Ops.FLOAT_UNARY.contains(name)) {
            String a = ref.apply(in.get(0));
            return switch (name) {
                case "arith.negf" -> "(-" + a + ")";
                case "math.exp" -> "exp(" + a + ")";
                case "math.tanh" -> "tanh(" + a + ")";
                case "math.sqrt" -> "sqrt(" + a + ")";
                case "math.log" -> "log(" + a + ")";
                default -> "fabs(" + a + ")";
            };
        }
        if (Ops.INT_BINARY.contains(name)) {
            String a = ref.apply(in.get(0));
            String b = ref.apply(in.get(1));
            String u = unsigned(rt);
            String e = switch (name) {
                case "arith.addi" -> "(" + r + ")((" + u + ")" + a + " + (" + u + ")" + b + ")";
                case "arith.subi" -> "(" + r + ")((" + u + ")" + a + " - (" + u + ")" + b + ")";
                case "arith.muli" -> "(" + r + ")((" + u + ")" + a + " * (" + u + ")" + b + ")";
                // division by zero and MIN/-1 trap on x86: give 0 / the wrapped negation instead of crashing
                case "arith.divsi" -> "(" + b + " == 0 ? (" + r + ")0 : (" + b + " == (" + r + ")-1 ? (" + r + ")(0 - (" + u + ")" + a
                        + ") : " + a + " / " + b + "))";
                case "arith.remsi" -> "((" + b + " == 0 || " + b + " == (" + r + ")-1) ? (" + r + ")0 : " + a + " % " + b + ")";
                case "arith.maxsi" -> "max(" + a + ", " + b + ")";
                case "arith.minsi" -> "min(" + a + ", " + b + ")";
                case "arith.andi" -> "(" + a + " & " + b + ")";
                case "arith.ori" -> "(" + a + " | " + b + ")";
                default -> "(" + a + " ^ " + b + ")";
            };
            return rt == ScalarType.I1 ? "((uchar)((" + e + ") & 1))" : e;
        }
        if (name.equals("arith.cmpf")) {
            String a = ref.apply(in.get(0));
            String b = ref.apply(in.get(1));
            String p = Ops.CMPF_PREDICATES.get((int) op.intAttribute("predicate"));
            String nan = "(isnan(" + a + ") || isnan(" + b + "))";
            String e = switch (p) {
                case "false" -> "0";
                case "oeq" -> a + " == " + b;
                case "ogt" -> a + " > " + b;
                case "oge" -> a + " >= " + b;
                case "olt" -> a + " < " + b;
                case "ole" -> a + " <= " + b;
                case "one" -> "(!" + nan + " && " + a + " != " + b + ")";
                case "ord" -> "!" + nan;
                case "ueq" -> "(" + nan + " || " + a + " == " + b + ")";
                case "ugt" -> "!(" + a + " <= " + b + ")";
                case "uge" -> "!(" + a + " < " + b + ")";
                case "ult" -> "!(" + a + " >= " + b + ")";
                case "ule" -> "!(" + a + " > " + b + ")";
                case "une" -> a + " != " + b;
                case "uno" -> nan;
                default -> "1";
            };
            return "((uchar)(" + e + "))";
        }
        if (name.equals("arith.cmpi")) {
            ScalarType ot = scalar(in.get(0).type());
            String a = ref.apply(in.get(0));
            String b = ref.apply(in.get(1));
            String p = Ops.CMPI_PREDICATES.get((int) op.intAttribute("predicate"));
            String ua = "(" + unsigned(ot) + ")" + a;
            String ub = "(" + unsigned(ot) + ")" + b;
            // i1 is signed -1/0: signed predicates compare the sign-extended values
            String sa = ot == ScalarType.I1 ? "(" + a + " ? -1 : 0)" : a;
            String sb = ot == ScalarType.I1 ? "(" + b + " ? -1 : 0)" : b;
            String e = switch (p) {
                case "eq" -> a + " == " + b;
                case "ne" -> a + " != " + b;
                case "slt" -> sa + " < " + sb;
                case "sle" -> sa + " <= " + sb;
                case "sgt" -> sa + " > " + sb;
                case "sge" -> sa + " >= " + sb;
                case "ult" -> ua + " < " + ub;
                case "ule" -> ua + " <= " + ub;
                case "ugt" -> ua + " > " + ub;
                default -> ua + " >= " + ub;
            };
            return "((uchar)(" + e + "))";
        }
        if (name.equals("arith.select")) {
            return "(" + ref.apply(in.get(0)) + " ? " + ref.apply(in.get(1)) + " : " + ref.apply(in.get(2)) + ")";
        }
        if (Ops.CASTS.contains(name)) {
            ScalarType st = scalar(in.get(0).type());
            String a = ref.apply(in.get(0));
            return switch (name) {
                case "arith.sitofp", "arith.extsi" -> st == ScalarType.I1 ? "(" + a + " ? (" + r + ")-1 : (" + r + ")0)" : "((" + r + ")" + a + ")";
                case "arith.fptosi" -> rt == ScalarType.I1 ? "((uchar)(((long)" + a + ") & 1))" : "convert_" + r + "_sat_rtz(" + a + ")";
                case "arith.trunci" -> rt == ScalarType.I1 ? "((uchar)(" + a + " & 1))" : "((" + r + ")" + a + ")";
                default -> "((" + r + ")" + a + ")"; // index_cast, extf, truncf
            };
        }
        throw new Unsupported(op, "no OpenCL lowering");
    }
}
