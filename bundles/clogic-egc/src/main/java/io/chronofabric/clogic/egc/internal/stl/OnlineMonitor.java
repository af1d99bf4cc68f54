package io.chronofabric.clogic.egc.internal.stl;

import io.chronofabric.clogic.egc.internal.stl.Node.TOp;
import java.util.Optional;

/**
 * Online robustness, one sample at a time, for past and bounded-future formulas. A bounded-future
 * formula is pastified (see {@link Pastifier}): the value returned by {@link #update} at step t is the
 * robustness at t - {@link #delay()}; values for t &lt; delay come from the samples seen so far (a
 * delayed signal holds its first sample until it has one from the right time). once/historically/
 * eventually/always use a streaming extremum (O(1) amortised per sample whatever the bound);
 * since[a:inf] is a recurrence (O(1)); bounded since and until are a streaming minimum and a
 * sliding-window fold of (max, min) maps ({@link MaxMinFold}), O(1) amortised per sample whatever the bound.
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
                return since(t, d);
            }
            case UNTIL -> {
                return until(t, d);
            }
            default -> { // UNLESS: (φ until[a,b] ψ) or always[a,b] φ
                Op until = until(t, d);
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

    /**
     * φ since[a:b] ψ at delay d. Decomposition (min distributes over max):
     * (φ since[a:b] ψ)(t) = min(historically[0:a-1] φ (t), (φ since[0:b-a] ψ)(t-a)), and
     * (φ since[0:c] ψ)(s) = (g_s ∘ g_{s-1} ∘ ... ∘ g_{s-c})(-inf) with g_i(x) = max(ψ(i), min(φ(i), x)):
     * a sliding-window fold of the (max, min) maps ({@link MaxMinFold}), O(1) amortised per sample.
     * Unbounded: the recurrence s = max(ψ, min(φ, s)) (O(1)).
     */
    private Op since(Node.Temporal2 t, long d) {
        long a = t.lo();
        long b = t.hi();
        Op phi = compile(t.l(), d);
        Op psi = compile(t.r(), d);
        if (a > 0) {
            phi = new MemoOp(phi);
        }
        Op tail;
        if (b == Node.INF) {
            Op all = new SinceAllOp(phi, a > 0 ? new MemoOp(psi) : psi, d);
            tail = a == 0 ? all : new ShiftOp(all, a, d, MINUS);
        } else {
            if (b - a > MAX_ONLINE_WINDOW || a > MAX_ONLINE_WINDOW) {
                throw new IllegalArgumentException("since bound " + b + " is too large online (at most " + MAX_ONLINE_WINDOW + " samples)");
            }
            tail = new FoldWindowOp(phi, psi, d, a, b - a, true);
        }
        if (a == 0) {
            return tail;
        }
        Op hist = new WindowOp(phi, d, 0, a - 1, false);
        Op late = tail;
        return new Op() {
            @Override double step() {
                double h = hist.step();
                return Math.min(h, late.step());
            }
        };
    }

    /**
     * Pastified φ until[lo:hi] ψ at delay d: the operands run at delay d-hi, so at step t the operand
     * steps [t-hi, t] are the times [τ, τ+hi] of the point τ = t-d. Decomposition:
     * (φ until[lo:hi] ψ)(τ) = min(always[0:lo-1] φ (τ), (φ until[0:hi-lo] ψ)(τ+lo)) and
     * (φ until[0:c] ψ)(τ') = (f_τ' ∘ f_τ'+1 ∘ ... ∘ f_τ'+c)(-inf), f_i(x) = max(ψ(i), min(φ(i), x)):
     * the fold of the newest c+1 operand samples ({@link MaxMinFold}, O(1) amortised), and the
     * always part a streaming minimum over operand steps [t-hi, t-hi+lo-1].
     */
    private Op until(Node.Temporal2 t, long d) {
        long lo = t.lo();
        long hi = t.hi();
        long start = d - hi;
        if (hi - lo > MAX_ONLINE_WINDOW) {
            throw new IllegalArgumentException("until bound " + hi + " is too large online (at most " + MAX_ONLINE_WINDOW + " samples)");
        }
        Op phi = compile(t.l(), start);
        Op psi = compile(t.r(), start);
        if (lo == 0) {
            return new FoldWindowOp(phi, psi, start, 0, hi, false);
        }
        phi = new MemoOp(phi);
        Op fold = new FoldWindowOp(phi, psi, start, 0, hi - lo, false);
        Op always = new WindowOp(phi, start, hi - lo + 1, hi, false);
        return new Op() {
            @Override double step() {
                double f = fold.step();
                return Math.min(always.step(), f);
            }
        };
    }

    /** Largest window an until/since keeps online (memory: four doubles per sample of the window). */
    static final long MAX_ONLINE_WINDOW = 10_000_000;

    /** An operand read by two operators: stepped once per monitor step, its value kept for the second reader. */
    private final class MemoOp extends Op {
        private final Op x;
        private long at = -1;
        private double value;

        MemoOp(Op x) {
            this.x = x;
        }

        @Override double step() {
            if (at != steps) {
                at = steps;
                value = x.step();
            }
            return value;
        }
    }

    /** φ since ψ (unbounded): s = max(ψ, min(φ, s)) from the operands' start step on. */
    private static final class SinceAllOp extends Op {
        private final Op phi;
        private final Op psi;
        private final long start;
        private long k;
        private double s = MINUS;

        SinceAllOp(Op phi, Op psi, long start) {
            this.phi = phi;
            this.psi = psi;
            this.start = start;
        }

        @Override double step() {
            double p = phi.step();
            double q = psi.step();
            if (k++ >= start) {
                s = Math.max(q, Math.min(p, s));
            }
            return s;
        }
    }

    /**
     * Fold of the maps x -&gt; max(ψ(i), min(φ(i), x)) over the operand steps [t-a-c, t-a] (steps before
     * the operands' start are left out): newest map outermost for since, oldest outermost for until.
     */
    private static final class FoldWindowOp extends Op {
        private final Op phi;
        private final Op psi;
        private final long start;
        private final double[] ph;
        private final double[] ps;
        private final MaxMinFold fold;
        private long t;

        FoldWindowOp(Op phi, Op psi, long start, long a, long c, boolean newestOutermost) {
            this.phi = phi;
            this.psi = psi;
            this.start = start;
            this.ph = new double[(int) a + 1];
            this.ps = new double[(int) a + 1];
            this.fold = new MaxMinFold(c + 1, newestOutermost);
        }

        @Override double step() {
            int slot = (int) (t % ph.length);
            ph[slot] = phi.step();
            ps[slot] = psi.step();
            long src = t - (ph.length - 1);
            t++;
            if (src < start) {
                fold.pushIdentity();
            } else {
                int i = (int) (src % ph.length);
                fold.push(ps[i], ph[i]);
            }
            return fold.value();
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
}
