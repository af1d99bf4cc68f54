package io.chronofabric.clogic.egc.internal.stl;

/**
 * A formula: a real-valued expression whose value is the quantitative robustness (Donzé &amp; Maler 2010)
 * when it is a temporal/Boolean formula, and the signal value itself when it is arithmetic. Intervals are
 * already in samples.
 */
public sealed interface Node {

    /** Upper interval bound meaning "unbounded". */
    long INF = Long.MAX_VALUE;

    enum UOp { NEG, ABS, SQRT, EXP, NOT, PREV, NEXT, RISE, FALL }

    enum BOp { ADD, SUB, MUL, DIV, POW, GE, GT, LE, LT, EQ, NE, AND, OR, IMPLIES, IFF, XOR }

    enum TOp { ALWAYS, EVENTUALLY, ONCE, HISTORICALLY }

    enum T2Op { UNTIL, UNLESS, SINCE }

    record Num(double value) implements Node {
        @Override public String toString() { return Double.toString(value); }
    }

    record Var(String name) implements Node {
        @Override public String toString() { return name; }
    }

    record Unary(UOp op, Node x) implements Node {
        @Override public String toString() { return op.name().toLowerCase(java.util.Locale.ROOT) + "(" + x + ")"; }
    }

    record Binary(BOp op, Node l, Node r) implements Node {
        @Override public String toString() { return "(" + l + " " + op.name().toLowerCase(java.util.Locale.ROOT) + " " + r + ")"; }
    }

    record Temporal(TOp op, long lo, long hi, Node x) implements Node {
        @Override public String toString() { return op.name().toLowerCase(java.util.Locale.ROOT) + bounds(lo, hi) + "(" + x + ")"; }
    }

    record Temporal2(T2Op op, long lo, long hi, Node l, Node r) implements Node {
        @Override public String toString() { return "(" + l + " " + op.name().toLowerCase(java.util.Locale.ROOT) + bounds(lo, hi) + " " + r + ")"; }
    }

    /** x delayed by k samples (x(t-k); the first sample is held before that). */
    record Delay(long k, Node x) implements Node {
        @Override public String toString() { return "delay" + k + "(" + x + ")"; }
    }

    static String bounds(long lo, long hi) {
        return lo == 0 && hi == INF ? "" : "[" + lo + ":" + (hi == INF ? "inf" : Long.toString(hi)) + "]";
    }
}
