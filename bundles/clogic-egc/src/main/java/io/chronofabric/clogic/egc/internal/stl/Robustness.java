package io.chronofabric.clogic.egc.internal.stl;

import io.chronofabric.clogic.egc.internal.stl.Node.BOp;

/** The pointwise operators of the quantitative semantics, shared by the offline and online evaluators. */
final class Robustness {
    private Robustness() { }

    static double binary(BOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> Math.pow(l, r);
            case GE, GT -> l - r;
            case LE, LT -> r - l;
            case EQ -> -Math.abs(l - r);
            case NE -> Math.abs(l - r);
            case AND -> Math.min(l, r);
            case OR -> Math.max(l, r);
            case IMPLIES -> Math.max(-l, r);
            case IFF -> Math.min(Math.max(-l, r), Math.max(-r, l));
            case XOR -> Math.max(Math.min(l, -r), Math.min(-l, r));
        };
    }

    static double unary(Node.UOp op, double x) {
        return switch (op) {
            case NEG, NOT -> -x;
            case ABS -> Math.abs(x);
            case SQRT -> Math.sqrt(x);
            case EXP -> Math.exp(x);
            default -> throw new IllegalStateException("not pointwise: " + op);
        };
    }
}
