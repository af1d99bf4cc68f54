package io.chronofabric.compute.opencl.internal;

import io.chronofabric.compute.mlir.Attribute;
import io.chronofabric.compute.mlir.Operation;
import io.chronofabric.compute.mlir.Ops;
import io.chronofabric.compute.mlir.ScalarType;
import java.util.List;

/**
 * A scalar value on the host (function-level scalar ops run in Java, with the semantics the
 * kernels' C expressions have: wrapping integers, NaN-propagating maximumf/minimumf, saturating
 * fptosi, division by zero giving 0 instead of a trap).
 */
record HostScalar(ScalarType type, double f, long i) {

    static HostScalar ofFloat(ScalarType t, double v) {
        return new HostScalar(t, t == ScalarType.F32 ? (float) v : v, 0);
    }

    static HostScalar ofInt(ScalarType t, long v) {
        long w = switch (t) {
            case I1 -> v & 1;
            case I32 -> (int) v;
            default -> v;
        };
        return new HostScalar(t, 0, w);
    }

    double asDouble() {
        return type.isFloat() ? f : i;
    }

    /** Signed value (i1 true is -1). */
    long signed() {
        return type == ScalarType.I1 ? -i : i;
    }

    static HostScalar constant(Operation op) {
        ScalarType t = ClC.scalar(op.result().type());
        Attribute a = op.attribute("value");
        if (a instanceof Attribute.FloatAttr fa) {
            return ofFloat(t, fa.value());
        }
        if (a instanceof Attribute.IntegerAttr ia) {
            return t.isFloat() ? ofFloat(t, ia.value()) : ofInt(t, ia.value());
        }
        throw new Unsupported(op, "constant " + a + " is not a scalar");
    }

    static HostScalar eval(Operation op, List<HostScalar> in) {
        String n = op.name();
        if (n.equals("arith.constant")) {
            return constant(op);
        }
        ScalarType rt = ClC.scalar(op.result().type());
        if (Ops.FLOAT_BINARY.contains(n)) {
            double a = in.get(0).f;
            double b = in.get(1).f;
            double r = switch (n) {
                case "arith.addf" -> a + b;
                case "arith.subf" -> a - b;
                case "arith.mulf" -> a * b;
                case "arith.divf" -> a / b;
                case "arith.maximumf" -> Math.max(a, b);
                default -> Math.min(a, b);
            };
            if (rt == ScalarType.F32) {
                // f32 arithmetic rounds each operation to float
                float fa = (float) a;
                float fb = (float) b;
                r = switch (n) {
                    case "arith.addf" -> fa + fb;
                    case "arith.subf" -> fa - fb;
                    case "arith.mulf" -> fa * fb;
                    case "arith.divf" -> fa / fb;
                    default -> r;
                };
            }
            return ofFloat(rt, r);
        }
        if (Ops.FLOAT_UNARY.contains(n)) {
            double a = in.get(0).f;
            return ofFloat(rt, switch (n) {
                case "arith.negf" -> -a;
                case "math.exp" -> Math.exp(a);
                case "math.tanh" -> Math.tanh(a);
                case "math.sqrt" -> Math.sqrt(a);
                case "math.log" -> Math.log(a);
                default -> Math.abs(a);
            });
        }
        if (Ops.INT_BINARY.contains(n)) {
            long a = in.get(0).signed();
            long b = in.get(1).signed();
            long r = switch (n) {
                case "arith.addi" -> a + b;
                case "arith.subi" -> a - b;
                case "arith.muli" -> a * b;
                case "arith.divsi" -> b == 0 ? 0 : (b == -1 ? -a : a / b);
                case "arith.remsi" -> b == 0 || b == -1 ? 0 : a % b;
                case "arith.maxsi" -> Math.max(a, b);
                case "arith.minsi" -> Math.min(a, b);
                case "arith.andi" -> a & b;
                case "arith.ori" -> a | b;
                default -> a ^ b;
            };
            return ofInt(rt, r);
        }
        if (n.equals("arith.cmpf")) {
            double a = in.get(0).f;
            double b = in.get(1).f;
            boolean nan = Double.isNaN(a) || Double.isNaN(b);
            boolean r = switch (Ops.CMPF_PREDICATES.get((int) op.intAttribute("predicate"))) {
                case "false" -> false;
                case "oeq" -> a == b;
                case "ogt" -> a > b;
                case "oge" -> a >= b;
                case "olt" -> a < b;
                case "ole" -> a <= b;
                case "one" -> !nan && a != b;
                case "ord" -> !nan;
                case "ueq" -> nan || a == b;
                case "ugt" -> !(a <= b);
                case "uge" -> !(a < b);
                case "ult" -> !(a >= b);
                case "ule" -> !(a > b);
                case "une" -> a != b;
                case "uno" -> nan;
                default -> true;
            };
            return ofInt(ScalarType.I1, r ? 1 : 0);
        }
        if (n.equals("arith.cmpi")) {
            HostScalar x = in.get(0);
            long a = x.signed();
            long b = in.get(1).signed();
            long ua = x.i;
            long ub = in.get(1).i;
            if (x.type == ScalarType.I32) {
                ua &= 0xffffffffL;
                ub &= 0xffffffffL;
            }
            boolean r = switch (Ops.CMPI_PREDICATES.get((int) op.intAttribute("predicate"))) {
                case "eq" -> a == b;
                case "ne" -> a != b;
                case "slt" -> a < b;
                case "sle" -> a <= b;
                case "sgt" -> a > b;
                case "sge" -> a >= b;
                case "ult" -> Long.compareUnsigned(ua, ub) < 0;
                case "ule" -> Long.compareUnsigned(ua, ub) <= 0;
                case "ugt" -> Long.compareUnsigned(ua, ub) > 0;
                default -> Long.compareUnsigned(ua, ub) >= 0;
            };
            return ofInt(ScalarType.I1, r ? 1 : 0);
        }
        if (n.equals("arith.select")) {
            return in.get(0).i != 0 ? in.get(1) : in.get(2);
        }
        if (Ops.CASTS.contains(n)) {
            HostScalar x = in.get(0);
            return switch (n) {
                case "arith.sitofp" -> ofFloat(rt, x.signed());
                case "arith.fptosi" -> ofInt(rt, rt == ScalarType.I32 ? (long) (int) x.f : (long) x.f);
                case "arith.extf", "arith.truncf" -> ofFloat(rt, x.f);
                case "arith.extsi" -> ofInt(rt, x.signed());
                default -> ofInt(rt, x.i); // index_cast, trunci
            };
        }
        throw new Unsupported(op, "no host evaluation");
    }
}
