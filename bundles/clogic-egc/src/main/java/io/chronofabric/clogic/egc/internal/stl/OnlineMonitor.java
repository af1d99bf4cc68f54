package io.chronofabric.clogic.egc.internal.stl;

import io.chronofabric.clogic.egc.internal.stl.Node.TOp;
import java.util.Optional;

/**
 * Online robustness, one sample at a time, for past and bounded-future formulas. A bounded-future
 * formula is pastified (see {@link Pastifier}): the value returned by {@link #update} at step t is the
 * robustness at t - {@link #delay()}; values for t &lt; delay come from the samples seen so far (a
 * delayed signal holds its first sample until it has one from the right time). once/historically/
 * eventually/always use a streaming extremum (O(1) amortised per sample whatever the bound);
 * since[a:inf] is a recurrence (O(1)); bounded since and until cost O(bound) per sample.
 * Not thread-safe: one caller at a time. {@link #update} allocates nothing.
 */
public final class OnlineMonitor {

    private final Spec spec;
    private final long delay;
    private final double[] in;
    private final Op root;
    private long steps;

    public OnlineMonitor(Spec spec) {
        this.spec = spec;
        long h = spec.horizon();
        if (h == Node.INF) {
            Optional<Node> bad = Pastifier.unboundedFuture(spec.formula());
            throw new IllegalArgumentException("online monitoring refused: '" + bad.map(Node::toString).orElse("?")
                    + "' is a future operator without an upper bound, so no finite delay gives its value; bound it, e.g. eventually[0:10]");
        }
        if (h > 10_000_000) {
            throw new IllegalArgumentException("online monitoring refused: the formula looks " + h + " samples ahead (at most 10000000)");
        }
        this.delay = h;
        this.in = new double[spec.inputs().size()];
        this.root = compile(spec.formula(), h);
    }

    public Spec spec() {
        return spec;
    }

    /** Samples between a sample and the first output that covers it. */
    public long delay() {
        return delay;
    }

    public long steps() {
        return steps;
    }

    /** Feeds one sample of every input (in {@link Spec#inputs()} order) and returns the robustness at steps - delay. */
    public double update(double... values) {
        if (values.length != in.length) {
            throw new IllegalArgumentException("expected " + in.length + " input values " + spec.inputs() + ", got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException("sample " + steps + " of input '" + spec.inputs().get(i) + "' is NaN");
            }
            in[i] = values[i];
        }
        steps++;
        return root.step();
    }

    // ------------------------------------------------------------------ operators
    //
    // compile(n, d) builds ψ with ψ(t) = n(t - d) (the pastified n at delay d). Its output at step t
    // belongs to time t - d, which exists only from step d on: operators with memory ignore what their
    // operands produced before the operands' own start step.

    private abstract static class Op {
        abstract double step();
    }

    private static final double PLUS = Double.POSITIVE_INFINITY;
    private static final double MINUS = Double.NEGATIVE_INFINITY;

    private Op compile(Node n, long d) {
        if (n instanceof Node.Num c) {
            double value = c.value();
            return new Op() {
                @Override double step() { return value; }
            };
        }
        if (n instanceof Node.Var v) {
            int idx = spec.inputIndex(v.name());
            Op x = new Op() {
                @Override double step() { return in[idx]; }
            };
            return d == 0 ? x : new DelayOp(x, d);
        }
        if (n instanceof Node.Delay dl) {
            return compile(dl.x(), d + dl.k());
        }
        if (n instanceof Node.Binary b) {
            Op l = compile(b.l(), d);
            Op r = compile(b.r(), d);
            Node.BOp op = b.op();
            return new Op() {
                @Override double step() {
                    double lv = l.step();
                    return Robustness.binary(op, lv, r.step());
                }
            };
        }
        if (n instanceof Node.Unary u) {
            return unary(u, d);
        }
        if (n instanceof Node.Temporal t) {
            return switch (t.op()) {
                case EVENTUALLY -> new WindowOp(compile(t.x(), d - t.hi()), d - t.hi(), 0, t.hi() - t.lo(), true);
                case ALWAYS -> new WindowOp(compile(t.x(), d - t.hi()), d - t.hi(), 0, t.hi() - t.lo(), false);
                case ONCE, HISTORICALLY -> {
                    boolean max = t.op() == TOp.ONCE;
                    Op x = compile(t.x(), d);
                    yield t.hi() == Node.INF ? new RunningOp(x, d, t.lo(), max) : new WindowOp(x, d, t.lo(), t.hi(), max);
                }
            };
        }
        Node.Temporal2 t = (Node.Temporal2) n;
        switch (t.op()) {
            case SINCE -> {
                Op phi = compile(t.l(), d);
                Op psi = compile(t.r(), d);
                if (t.lo() == 0 && t.hi() == Node.INF) {
                    return new Op() {
                        long k;
                        double s = MINUS;
                        @Override double step() {
                            double p = phi.step();
                            double q = psi.step();
                            if (k++ >= d) {
                                s = Math.max(q, Math.min(p, s));
                            }
                            return s;
                        }
                    };
                }
                if (t.hi() == Node.INF) {
                    // φ since[a:inf] ψ = historically[0:a-1] φ and (φ since ψ)(t-a), exactly (min distributes)
                    Op since = compile(new Node.Temporal2(Node.T2Op.SINCE, 0, Node.INF, t.l(), t.r()), d);
                    Op late = new ShiftOp(since, t.lo(), d, MINUS);
                    Op hist = new WindowOp(phi, d, 0, t.lo() - 1, false);
                    return new Op() {
                        @Override double step() {
                            double h = hist.step();
                            return Math.min(h, late.step());
                        }
                    };
                }
                return new BoundedSinceOp(phi, psi, d, t.lo(), t.hi());
            }
            case UNTIL -> {
                return new PastUntilOp(compile(t.l(), d - t.hi()), compile(t.r(), d - t.hi()), d - t.hi(), t.lo(), t.hi());
            }
            default -> { // UNLESS: (φ until[a,b] ψ) or always[a,b] φ
                Op until = new PastUntilOp(compile(t.l(), d - t.hi()), compile(t.r(), d - t.hi()), d - t.hi(), t.lo(), t.hi());
                Op always = new WindowOp(compile(t.l(), d - t.hi()), d - t.hi(), 0, t.hi() - t.lo(), false);
                return new Op() {
                    @Override double step() {
                        double u = until.step();
                        return Math.max(u, always.step());
                    }
                };
            }
        }
    }

    private Op unary(Node.Unary u, long d) {
        if (u.op() == Node.UOp.NEXT) {
            return compile(u.x(), d - 1);
        }
        Op x = compile(u.x(), d);
        return switch (u.op()) {
            case PREV -> new Op() {
                long k;
                double prev = PLUS;
                @Override double step() {
                    double r = k++ > d ? prev : PLUS;
                    prev = x.step();
                    return r;
                }
            };
            case RISE, FALL -> {
                boolean rise = u.op() == Node.UOp.RISE;
                yield new Op() {
                    long k;
                    double prev;
                    @Override double step() {
                        double v = x.step();
                        boolean first = k++ <= d;
                        double r = rise ? (first ? v : Math.min(v, -prev)) : (first ? -v : Math.min(-v, prev));
                        prev = v;
                        return r;
                    }
                };
            }
            default -> {
                Node.UOp op = u.op();
                yield new Op() {
                    @Override double step() { return Robustness.unary(op, x.step()); }
                };
            }
        };
    }

    /** x(t-k); before x has a value from t-k the first is held (such outputs belong to times before 0). */
    private static final class DelayOp extends Op {
        private final Op x;
        private final double[] ring;
        private long t;

        DelayOp(Op x, long k) {
            if (k > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("delay " + k + " is too long");
            }
            this.x = x;
            this.ring = new double[(int) k + 1];
        }

        @Override double step() {
            double v = x.step();
            int k = ring.length - 1;
            ring[(int) (t % ring.length)] = v;
            long src = t - k;
            t++;
            return ring[(int) (Math.max(0, src) % ring.length)];
        }
    }

    /** x(t-k), or {@code before} while t-k is before x's start step. */
    private static final class ShiftOp extends Op {
        private final Op x;
        private final double[] ring;
        private final long start;
        private final double before;
        private long t;

        ShiftOp(Op x, long k, long start, double before) {
            if (k > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("interval bound " + k + " is too large online");
            }
            this.x = x;
            this.ring = new double[(int) k + 1];
            this.start = start;
            this.before = before;
        }

        @Override double step() {
            double v = x.step();
            int k = ring.length - 1;
            ring[(int) (t % ring.length)] = v;
            long src = t - k;
            t++;
            return src < start ? before : ring[(int) (src % ring.length)];
        }
    }

    /** Extremum of x over steps [t-b, t-a] from x's start step on (streaming, O(1) amortised). */
    private static final class WindowOp extends Op {
        private final Op x;
        private final long start;
        private final double[] ring;
        private final StreamingExtremum window;
        private long t;

        WindowOp(Op x, long start, long a, long b, boolean max) {
            if (a > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("interval bound " + a + " is too large online");
            }
            this.x = x;
            this.start = start;
            this.ring = new double[(int) a + 1];
            this.window = new StreamingExtremum(b - a + 1, max);
        }

        @Override double step() {
            double v = x.step();
            int a = ring.length - 1;
            ring[(int) (t % ring.length)] = v;
            long src = t - a;
            t++;
            return src < start ? window.skip() : window.push(ring[(int) (src % ring.length)]);
        }
    }

    /** once[a:inf] / historically[a:inf]: running extremum of x over steps [start, t-a]. */
    private static final class RunningOp extends Op {
        private final Op x;
        private final long start;
        private final double[] ring;
        private final boolean max;
        private double acc;
        private long t;

        RunningOp(Op x, long start, long a, boolean max) {
            if (a > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("interval bound " + a + " is too large online");
            }
            this.x = x;
            this.start = start;
            this.ring = new double[(int) a + 1];
            this.max = max;
            this.acc = max ? MINUS : PLUS;
        }

        @Override double step() {
            double v = x.step();
            int a = ring.length - 1;
            ring[(int) (t % ring.length)] = v;
            long src = t - a;
            t++;
            if (src >= start) {
                double w = ring[(int) (src % ring.length)];
                acc = max ? Math.max(acc, w) : Math.min(acc, w);
            }
            return acc;
        }
    }

    /** φ since[a,b] ψ = max over u in [a,b] of min(ψ(t-u), min over v in [0,u) of φ(t-v)); O(b) per sample. */
    private static final class BoundedSinceOp extends Op {
        private final Op phi;
        private final Op psi;
        private final long start;
        private final long a;
        private final int b;
        private final double[] ph;
        private final double[] ps;
        private long t;

        BoundedSinceOp(Op phi, Op psi, long start, long a, long b) {
            if (b > 1_000_000) {
                throw new IllegalArgumentException("since bound " + b + " is too large online (at most 1000000)");
            }
            this.phi = phi;
            this.psi = psi;
            this.start = start;
            this.a = a;
            this.b = (int) b;
            this.ph = new double[this.b + 1];
            this.ps = new double[this.b + 1];
        }

        @Override double step() {
            int slot = (int) (t % ph.length);
            ph[slot] = phi.step();
            ps[slot] = psi.step();
            double best = MINUS;
            double run = PLUS;
            long maxU = Math.min(b, t - start);
            for (long u = 0; u <= maxU; u++) {
                int i = (int) ((t - u) % ph.length);
                if (u >= a) {
                    best = Math.max(best, Math.min(ps[i], run));
                }
                run = Math.min(run, ph[i]);
            }
            t++;
            return best;
        }
    }

    /**
     * Pastified φ until[lo,hi] ψ, operands at delay d-hi: max over u in [0, hi-lo] of
     * min(ψ(t-u), min over v in (u, hi] of φ(t-v)), steps from the operands' start on; O(hi) per sample.
     */
    private static final class PastUntilOp extends Op {
        private final Op phi;
        private final Op psi;
        private final long start;
        private final long span;
        private final int hi;
        private final double[] ph;
        private final double[] ps;
        private long t;

        PastUntilOp(Op phi, Op psi, long start, long lo, long hi) {
            if (hi > 1_000_000) {
                throw new IllegalArgumentException("until bound " + hi + " is too large online (at most 1000000)");
            }
            this.phi = phi;
            this.psi = psi;
            this.start = start;
            this.span = hi - lo;
            this.hi = (int) hi;
            this.ph = new double[this.hi + 1];
            this.ps = new double[this.hi + 1];
        }

        @Override double step() {
            int slot = (int) (t % ph.length);
            ph[slot] = phi.step();
            ps[slot] = psi.step();
            double best = MINUS;
            double run = PLUS;
            for (long u = Math.min(hi, t - start); u >= 0; u--) {
                int i = (int) ((t - u) % ph.length);
                if (u <= span) {
                    best = Math.max(best, Math.min(ps[i], run));
                }
                run = Math.min(run, ph[i]);
            }
            t++;
            return best;
        }
    }
}
