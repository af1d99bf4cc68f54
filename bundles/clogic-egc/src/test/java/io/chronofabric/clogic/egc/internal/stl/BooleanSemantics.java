package io.chronofabric.clogic.egc.internal.stl;

import java.util.Map;

/** An independent Boolean (qualitative) semantics for the tests, written from the STL definitions. */
final class BooleanSemantics {
    private BooleanSemantics() { }

    static boolean[] eval(Node node, Map<String, double[]> s, int n) {
        boolean[] out = new boolean[n];
        for (int t = 0; t < n; t++) {
            out[t] = at(node, s, n, t);
        }
        return out;
    }

    private static double value(Node node, Map<String, double[]> s, int t) {
        if (node instanceof Node.Num c) {
            return c.value();
        }
        if (node instanceof Node.Var v) {
            return s.get(v.name())[t];
        }
        if (node instanceof Node.Unary u) {
            return switch (u.op()) {
                case NEG -> -value(u.x(), s, t);
                case ABS -> Math.abs(value(u.x(), s, t));
                case SQRT -> Math.sqrt(value(u.x(), s, t));
                case EXP -> Math.exp(value(u.x(), s, t));
                default -> throw new IllegalArgumentException("not arithmetic: " + node);
            };
        }
        if (node instanceof Node.Binary b) {
            return switch (b.op()) {
                case ADD -> value(b.l(), s, t) + value(b.r(), s, t);
                case SUB -> value(b.l(), s, t) - value(b.r(), s, t);
                case MUL -> value(b.l(), s, t) * value(b.r(), s, t);
                case DIV -> value(b.l(), s, t) / value(b.r(), s, t);
                case POW -> Math.pow(value(b.l(), s, t), value(b.r(), s, t));
                default -> throw new IllegalArgumentException("not arithmetic: " + node);
            };
        }
        throw new IllegalArgumentException("not arithmetic: " + node);
    }

    private static boolean at(Node node, Map<String, double[]> s, int n, int t) {
        if (node instanceof Node.Var v) {
            {
                return s.get(v.name())[t] > 0;
            }
        } else if (node instanceof Node.Binary b) {
            {
                return switch (b.op()) {
                    case GE -> value(b.l(), s, t) >= value(b.r(), s, t);
                    case GT -> value(b.l(), s, t) > value(b.r(), s, t);
                    case LE -> value(b.l(), s, t) <= value(b.r(), s, t);
                    case LT -> value(b.l(), s, t) < value(b.r(), s, t);
                    case EQ -> value(b.l(), s, t) == value(b.r(), s, t);
                    case NE -> value(b.l(), s, t) != value(b.r(), s, t);
                    case AND -> at(b.l(), s, n, t) && at(b.r(), s, n, t);
                    case OR -> at(b.l(), s, n, t) || at(b.r(), s, n, t);
                    case IMPLIES -> !at(b.l(), s, n, t) || at(b.r(), s, n, t);
                    case IFF -> at(b.l(), s, n, t) == at(b.r(), s, n, t);
                    case XOR -> at(b.l(), s, n, t) != at(b.r(), s, n, t);
                    default -> value(b, s, t) > 0;
                };
            }
        } else if (node instanceof Node.Unary u) {
            {
                return switch (u.op()) {
                    case NOT -> !at(u.x(), s, n, t);
                    case PREV -> t == 0 || at(u.x(), s, n, t - 1);
                    case NEXT -> t == n - 1 || at(u.x(), s, n, t + 1);
                    case RISE -> at(u.x(), s, n, t) && (t == 0 || !at(u.x(), s, n, t - 1));
                    case FALL -> !at(u.x(), s, n, t) && (t == 0 || at(u.x(), s, n, t - 1));
                    default -> value(u, s, t) > 0;
                };
            }
        } else if (node instanceof Node.Temporal tp) {
            {
                boolean exists = tp.op() == Node.TOp.EVENTUALLY || tp.op() == Node.TOp.ONCE;
                boolean future = tp.op() == Node.TOp.EVENTUALLY || tp.op() == Node.TOp.ALWAYS;
                for (long d = tp.lo(); d <= tp.hi() && d <= n; d++) {
                    long i = future ? t + d : t - d;
                    if (i < 0 || i >= n) {
                        continue;
                    }
                    boolean v = at(tp.x(), s, n, (int) i);
                    if (exists && v) {
                        return true;
                    }
                    if (!exists && !v) {
                        return false;
                    }
                }
                return !exists;
            }
        } else if (node instanceof Node.Temporal2 tq) {
            {
                boolean future = tq.op() != Node.T2Op.SINCE;
                for (long d = tq.lo(); d <= tq.hi() && d <= n; d++) {
                    long i = future ? t + d : t - d;
                    if (i < 0 || i >= n) {
                        continue;
                    }
                    if (at(tq.r(), s, n, (int) i)) {
                        boolean chain = true;
                        for (long j = future ? t : i + 1; future ? j < i : j <= t; j++) {
                            chain &= at(tq.l(), s, n, (int) j);
                        }
                        if (chain) {
                            return true;
                        }
                    }
                }
                if (tq.op() == Node.T2Op.UNLESS) {
                    for (long d = tq.lo(); d <= tq.hi() && t + d < n; d++) {
                        if (!at(tq.l(), s, n, (int) (t + d))) {
                            return false;
                        }
                    }
                    return true;
                }
                return false;
            }
        }
        return value(node, s, t) > 0;
    }
}
