package io.chronofabric.clogic.egc.internal.stl;

/**
 * Sliding-window fold of the maps f(x) = max(p, min(q, x)) over the last {@code width} pushed
 * elements, O(1) amortised per push: the "two stacks" sliding-window aggregation (Tangwongsan,
 * Hirzel &amp; Schneider 2015, "General incremental sliding-window aggregation", PVLDB 8(7)), which
 * needs only an associative operator, not an inverse.
 *
 * <p>The maps are closed under composition: (p1,q1) ∘ (p2,q2) = (max(p1, min(q1,p2)), min(q1,q2)),
 * identity (-inf, +inf). A bounded until or since is such a composition applied to -inf
 * (one map per sample with p = ψ, q = φ; see {@link OnlineMonitor}); the fold's value is the p of the
 * composite. {@code newestOutermost} = since (the newest map is applied last), otherwise until
 * (the oldest map is applied last).
 *
 * <p>Elements are kept oldest first in a ring; the older part ("front") carries the folds from each
 * element to the end of the front, the newer part ("back") one running fold. Popping from an empty
 * front moves the back into it (each element is moved once: 3 compositions per element in all).
 * Allocates nothing after construction. Not thread-safe.
 */
final class MaxMinFold {
    private static final double MINUS = Double.NEGATIVE_INFINITY;
    private static final double PLUS = Double.POSITIVE_INFINITY;

    private final boolean newestOutermost;
    private final long width;
    private final int cap;
    private final double[] ep;
    private final double[] eq;
    private final double[] fp;
    private final double[] fq;
    private long head;
    private long mid;
    private long tail;
    private double bp = MINUS;
    private double bq = PLUS;

    MaxMinFold(long width, boolean newestOutermost) {
        if (width < 1 || width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("fold width must be in 1.." + (Integer.MAX_VALUE - 8) + ", was " + width);
        }
        this.newestOutermost = newestOutermost;
        this.width = width;
        this.cap = (int) width + 1;
        this.ep = new double[cap];
        this.eq = new double[cap];
        this.fp = new double[cap];
        this.fq = new double[cap];
    }

    /** Pushes the map max(p, min(q, x)) of the next step; the oldest leaves when the window is full. */
    void push(double p, double q) {
        int s = (int) (tail % cap);
        ep[s] = p;
        eq[s] = q;
        tail++;
        // back = back ⊗ e, where x ⊗ y = x ∘ y (until) or y ∘ x (since)
        if (newestOutermost) {
            double np = Math.max(p, Math.min(q, bp));
            bq = Math.min(q, bq);
            bp = np;
        } else {
            bp = Math.max(bp, Math.min(bq, p));
            bq = Math.min(bq, q);
        }
        if (tail - head > width) {
            pop();
        }
    }

    /** Pushes the identity map (a step that does not count, e.g. before the operands exist). */
    void pushIdentity() {
        push(MINUS, PLUS);
    }

    private void pop() {
        if (head == mid) {
            // flip: the back becomes the front, folds from each element to the newest
            double ap = MINUS;
            double aq = PLUS;
            for (long i = tail - 1; i >= head; i--) {
                int s = (int) (i % cap);
                // a = e_i ⊗ a
                if (newestOutermost) {
                    ap = Math.max(ap, Math.min(aq, ep[s]));
                    aq = Math.min(aq, eq[s]);
                } else {
                    ap = Math.max(ep[s], Math.min(eq[s], ap));
                    aq = Math.min(eq[s], aq);
                }
                fp[s] = ap;
                fq[s] = aq;
            }
            mid = tail;
            bp = MINUS;
            bq = PLUS;
        }
        head++;
    }

    /** The composite of the window's maps applied to -inf (-inf for an empty window). */
    double value() {
        if (head == mid) {
            return bp;
        }
        int s = (int) (head % cap);
        double p = fp[s];
        double q = fq[s];
        // front ⊗ back
        return newestOutermost ? Math.max(bp, Math.min(bq, p)) : Math.max(p, Math.min(q, bp));
    }
}
