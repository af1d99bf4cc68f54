package io.chronofabric.clogic.egc.internal.stl;

import io.chronofabric.clogic.egc.internal.stl.Node.T2Op;
import io.chronofabric.clogic.egc.internal.stl.Node.TOp;
import io.chronofabric.clogic.egc.internal.stl.Node.UOp;
import java.util.Optional;

/**
 * Horizon analysis for pastification (RTAMT's approach): a bounded-future formula φ is monitored as a
 * past formula ψ with ψ(t) = φ(t - D), D = horizon(φ) samples. The rewriting itself is done while the
 * online operators are built ({@link OnlineMonitor}): eventually[a,b] φ at delay d becomes once[0,b-a]
 * of φ at delay d-b, always likewise with historically, next takes one sample off the delay, until
 * becomes a past window over its operands at delay d-b, and the delay left at a signal is a delay line.
 */
public final class Pastifier {
    private Pastifier() { }

    static long horizon(Node n) {
        if (n instanceof Node.Delay d) {
            return horizon(d.x());
        }
        if (n instanceof Node.Unary u) {
            return u.op() == UOp.NEXT ? add(horizon(u.x()), 1) : horizon(u.x());
        }
        if (n instanceof Node.Binary b) {
            return Math.max(horizon(b.l()), horizon(b.r()));
        }
        if (n instanceof Node.Temporal t) {
            return t.op() == TOp.ONCE || t.op() == TOp.HISTORICALLY ? horizon(t.x()) : add(t.hi(), horizon(t.x()));
        }
        if (n instanceof Node.Temporal2 t) {
            long h = Math.max(horizon(t.l()), horizon(t.r()));
            return t.op() == T2Op.SINCE ? h : add(t.hi(), h);
        }
        return 0;
    }

    private static long add(long a, long b) {
        return a == Node.INF || b == Node.INF || a > Node.INF - b ? Node.INF : a + b;
    }

    /** The first future operator without an upper bound, if any (for the refusal message). */
    static Optional<Node> unboundedFuture(Node n) {
        if (n instanceof Node.Temporal t) {
            if ((t.op() == TOp.EVENTUALLY || t.op() == TOp.ALWAYS) && t.hi() == Node.INF) {
                return Optional.of(t);
            }
            return unboundedFuture(t.x());
        }
        if (n instanceof Node.Temporal2 t) {
            if (t.op() != T2Op.SINCE && t.hi() == Node.INF) {
                return Optional.of(t);
            }
            Optional<Node> l = unboundedFuture(t.l());
            return l.isPresent() ? l : unboundedFuture(t.r());
        }
        if (n instanceof Node.Unary u) {
            return unboundedFuture(u.x());
        }
        if (n instanceof Node.Binary b) {
            Optional<Node> l = unboundedFuture(b.l());
            return l.isPresent() ? l : unboundedFuture(b.r());
        }
        return Optional.empty();
    }

}
