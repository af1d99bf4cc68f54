package io.chronofabric.clogic.egc.internal.stl;

import io.chronofabric.clogic.egc.internal.stl.Node.T2Op;
import io.chronofabric.clogic.egc.internal.stl.Node.TOp;
import java.util.Map;

/**
 * Offline robustness of whole signals, discrete time, finite-trace semantics: a future operator sees
 * only the samples up to the end and a past operator those from the start; max over no sample is
 * -inf, min over none +inf. {@code prev} at t=0 and {@code next} at the last sample are +inf
 * (RTAMT's implementation starts prev at +inf; we take it, and mirror it for next). {@code rise(φ)} is
 * φ ∧ prev ¬φ and {@code fall(φ)} is ¬φ ∧ prev φ with that same prev.
 */
public final class Offline {
    private Offline() { }

    /** Robustness of the spec's output at every sample. Signals must all be given, equally long, finite. */
    public static double[] evaluate(Spec spec, Map<String, double[]> signals) {
        int n = -1;
        for (Map.Entry<String, double[]> e : signals.entrySet()) {
            if (!spec.inputs().contains(e.getKey())) {
                throw new IllegalArgumentException("unknown signal '" + e.getKey() + "': the specification's inputs are " + spec.inputs());
            }
            double[] v = e.getValue();
            if (n >= 0 && v.length != n) {
                throw new IllegalArgumentException("signals of different lengths: '" + e.getKey() + "' has " + v.length
                        + " samples, others " + n);
            }
            n = v.length;
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    throw new IllegalArgumentException("signal '" + e.getKey() + "' sample " + i + " is NaN");
                }
            }
        }
        for (String in : spec.inputs()) {
            if (!signals.containsKey(in)) {
                throw new IllegalArgumentException("no samples for input '" + in + "'");
            }
        }
        if (n < 0) {
            n = 1; // a formula over constants only
        }
        return eval(spec.formula(), signals, n);
    }

    static double[] eval(Node node, Map<String, double[]> s, int n) {
        double[] out = new double[n];
        if (node instanceof Node.Num c) {
            java.util.Arrays.fill(out, c.value());
        } else if (node instanceof Node.Var v) {
            System.arraycopy(s.get(v.name()), 0, out, 0, n);
        } else if (node instanceof Node.Delay d) {
            {
                double[] x = eval(d.x(), s, n);
                for (int t = 0; t < n; t++) {
                    out[t] = x[(int) Math.max(0, t - d.k())];
                }
            }
        } else if (node instanceof Node.Binary b) {
            {
                double[] l = eval(b.l(), s, n);
                double[] r = eval(b.r(), s, n);
                for (int t = 0; t < n; t++) {
                    out[t] = Robustness.binary(b.op(), l[t], r[t]);
                }
            }
        } else if (node instanceof Node.Unary u) {
            {
                double[] x = eval(u.x(), s, n);
                for (int t = 0; t < n; t++) {
                    double prev = t == 0 ? Double.NaN : x[t - 1];
                    out[t] = switch (u.op()) {
                        case PREV -> t == 0 ? Double.POSITIVE_INFINITY : prev;
                        case NEXT -> t == n - 1 ? Double.POSITIVE_INFINITY : x[t + 1];
                        case RISE -> t == 0 ? x[t] : Math.min(x[t], -prev);
                        case FALL -> t == 0 ? -x[t] : Math.min(-x[t], prev);
                        default -> Robustness.unary(u.op(), x[t]);
                    };
                }
            }
        } else if (node instanceof Node.Temporal tp) {
            {
                double[] x = eval(tp.x(), s, n);
                boolean max = tp.op() == TOp.EVENTUALLY || tp.op() == TOp.ONCE;
                boolean future = tp.op() == TOp.EVENTUALLY || tp.op() == TOp.ALWAYS;
                for (int t = 0; t < n; t++) {
                    long from = future ? t + tp.lo() : t - sat(tp.hi(), t);
                    long to = future ? t + Math.min(tp.hi(), n) : t - tp.lo();
                    from = Math.max(0, from);
                    to = Math.min(n - 1, to);
                    double acc = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                    for (long i = from; i <= to; i++) {
                        acc = max ? Math.max(acc, x[(int) i]) : Math.min(acc, x[(int) i]);
                    }
                    out[t] = acc;
                }
            }
        } else if (node instanceof Node.Temporal2 tq) {
            {
                double[] l = eval(tq.l(), s, n);
                double[] r = eval(tq.r(), s, n);
                for (int t = 0; t < n; t++) {
                    out[t] = switch (tq.op()) {
                        case UNTIL -> until(l, r, t, tq.lo(), tq.hi(), n);
                        case UNLESS -> Math.max(until(l, r, t, tq.lo(), tq.hi(), n), always(l, t, tq.lo(), tq.hi(), n));
                        case SINCE -> since(l, r, t, tq.lo(), tq.hi());
                    };
                }
            }
        }
        return out;
    }

    private static long sat(long hi, int t) {
        return Math.min(hi, t);
    }

    /** max over t' in [t+a, t+b] of min(ψ(t'), min over [t, t') of φ). */
    private static double until(double[] phi, double[] psi, int t, long a, long b, int n) {
        double best = Double.NEGATIVE_INFINITY;
        double run = Double.POSITIVE_INFINITY;
        long end = Math.min(n - 1, t + Math.min(b, n));
        for (long i = t; i <= end; i++) {
            if (i >= t + a) {
                best = Math.max(best, Math.min(psi[(int) i], run));
            }
            run = Math.min(run, phi[(int) i]);
        }
        return best;
    }

    private static double always(double[] phi, int t, long a, long b, int n) {
        double acc = Double.POSITIVE_INFINITY;
        long end = Math.min(n - 1, t + Math.min(b, n));
        for (long i = t + a; i <= end; i++) {
            acc = Math.min(acc, phi[(int) i]);
        }
        return acc;
    }

    /** max over t' in [t-b, t-a] of min(ψ(t'), min over (t', t] of φ). */
    private static double since(double[] phi, double[] psi, int t, long a, long b) {
        double best = Double.NEGATIVE_INFINITY;
        double run = Double.POSITIVE_INFINITY;
        long start = Math.max(0, t - Math.min(b, t));
        for (long i = t; i >= start; i--) {
            if (i <= t - a) {
                best = Math.max(best, Math.min(psi[(int) i], run));
            }
            run = Math.min(run, phi[(int) i]);
        }
        return best;
    }
}
