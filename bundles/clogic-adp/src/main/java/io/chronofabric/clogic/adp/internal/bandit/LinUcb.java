package io.chronofabric.clogic.adp.internal.bandit;

/**
 * LinUCB with disjoint linear models (Li, Chu, Langford &amp; Schapire 2010, Algorithm 1): each arm a
 * keeps A_a = I + sum x x^T and b_a = sum r x over its pulls (ridge regression with lambda = 1), and
 * a context x is sent to the arm maximising theta_a . x + alpha sqrt(x^T A_a^-1 x), theta_a =
 * A_a^-1 b_a. A_a^-1 is kept directly and updated by Sherman-Morrison,
 * A^-1 -= (A^-1 x)(A^-1 x)^T / (1 + x^T A^-1 x), and theta_a by the matching recursive
 * least-squares step theta += A^-1 x (r - theta.x) / (1 + x^T A^-1 x), so a decision is O(K d^2) and
 * allocates nothing, and an update is O(d^2). Not thread-safe.
 */
public final class LinUcb {
    private final int arms;
    private final int d;
    private final double alpha;
    private final double[][] aInv;
    private final double[][] b;
    private final double[][] theta;
    private final long[] pulls;
    private final double[] tmp;
    private double exploration = 1;

    public LinUcb(int arms, int d, double alpha) {
        Bandit.checkArms(arms);
        if (d < 1 || d > 65) {
            throw new IllegalArgumentException("LinUCB dimension must be in 1..65, was " + d);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("LinUCB alpha must be a finite number >= 0, was " + alpha);
        }
        this.arms = arms;
        this.d = d;
        this.alpha = alpha;
        aInv = new double[arms][d * d];
        b = new double[arms][d];
        theta = new double[arms][d];
        pulls = new long[arms];
        tmp = new double[d];
        for (int a = 0; a < arms; a++) {
            reset(a);
        }
    }

    public int arms() {
        return arms;
    }

    public int dimension() {
        return d;
    }

    public void exploration(double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("exploration factor must be a finite number >= 0, was " + factor);
        }
        exploration = factor;
    }

    /** The eligible arm (mask as in {@link Bandit#select(long)}) with the largest upper confidence bound for x. */
    public int select(double[] x, long eligible) {
        checkContext(x);
        double a2 = alpha * exploration;
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        if (arms <= 64) {
            for (long m = arms == 64 ? eligible : eligible & ((1L << arms) - 1); m != 0; m &= m - 1) {
                int a = Long.numberOfTrailingZeros(m);
                double v = score(a, x, a2);
                if (v > bestValue || best < 0) {
                    bestValue = v;
                    best = a;
                }
            }
            return Math.max(best, 0);
        }
        for (int a = 0; a < arms; a++) {
            if (!Bandit.eligible(eligible, a)) {
                continue;
            }
            double v = score(a, x, a2);
            if (v > bestValue || best < 0) {
                bestValue = v;
                best = a;
            }
        }
        return Math.max(best, 0);
    }

    /** theta_a . x + alpha sqrt(x^T A_a^-1 x) with the current alpha. */
    public double ucb(int arm, double[] x) {
        checkContext(x);
        return score(arm, x, alpha * exploration);
    }

    private double score(int a, double[] x, double a2) {
        double[] m = aInv[a];
        double[] t = theta[a];
        double mean = 0;
        double q = 0;
        for (int i = 0; i < d; i++) {
            double row = 0;
            int o = i * d;
            for (int j = 0; j < d; j++) {
                row += m[o + j] * x[j];
            }
            q += x[i] * row;
            mean += t[i] * x[i];
        }
        return mean + a2 * Math.sqrt(Math.max(0, q));
    }

    /** The reward r of context x at arm a: Sherman-Morrison on A_a^-1, b_a += r x, theta_a = A_a^-1 b_a. */
    public void update(int arm, double[] x, double reward) {
        checkContext(x);
        Bandit.checkReward(arm, arms, reward);
        double[] m = aInv[arm];
        double[] u = tmp;
        double q = 0;
        for (int i = 0; i < d; i++) {
            double row = 0;
            int o = i * d;
            for (int j = 0; j < d; j++) {
                row += m[o + j] * x[j];
            }
            u[i] = row;
            q += x[i] * row;
        }
        double inv = 1 / (1 + q);
        // A^-1 stays symmetric: the upper triangle, mirrored
        for (int i = 0; i < d; i++) {
            int o = i * d;
            double ui = u[i] * inv;
            for (int j = i; j < d; j++) {
                double v = m[o + j] - ui * u[j];
                m[o + j] = v;
                m[j * d + i] = v;
            }
        }
        double[] bb = b[arm];
        double[] t = theta[arm];
        double predicted = 0;
        for (int i = 0; i < d; i++) {
            bb[i] += reward * x[i];
            predicted += t[i] * x[i];
        }
        // theta' = A'^-1 b' = theta + A^-1 x (r - theta.x) / (1 + x^T A^-1 x): the recursive least-squares step, O(d)
        double gain = (reward - predicted) * inv;
        for (int i = 0; i < d; i++) {
            t[i] += u[i] * gain;
        }
        pulls[arm]++;
    }

    /** theta_a, the ridge-regression coefficients of arm a (a copy). */
    public double[] theta(int arm) {
        return theta[arm].clone();
    }

    /** A_a^-1 (a copy, row-major). */
    public double[] inverse(int arm) {
        return aInv[arm].clone();
    }

    public long pulls(int arm) {
        return pulls[arm];
    }

    /** b_a (a copy). */
    public double[] b(int arm) {
        return b[arm].clone();
    }

    /**
     * Sets an arm's model (restored state): A^-1 (row-major, d x d), b and the pull count; theta is
     * recomputed. @throws IllegalArgumentException when the sizes are not d x d and d or a value is not finite
     */
    public void restore(int arm, double[] inverse, double[] bb, long armPulls) {
        if (inverse.length != d * d || bb.length != d) {
            throw new IllegalArgumentException("LinUCB state of arm " + arm + " has " + inverse.length + " + " + bb.length + " values, needs " + d * d
                    + " + " + d);
        }
        for (double v : inverse) {
            Bandit.checkFinite("LinUCB state", v);
        }
        for (double v : bb) {
            Bandit.checkFinite("LinUCB state", v);
        }
        System.arraycopy(inverse, 0, aInv[arm], 0, d * d);
        System.arraycopy(bb, 0, b[arm], 0, d);
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += aInv[arm][i * d + j] * bb[j];
            }
            theta[arm][i] = s;
        }
        pulls[arm] = armPulls;
    }

    public void reset(int arm) {
        double[] m = aInv[arm];
        java.util.Arrays.fill(m, 0);
        for (int i = 0; i < d; i++) {
            m[i * d + i] = 1;
        }
        java.util.Arrays.fill(b[arm], 0);
        java.util.Arrays.fill(theta[arm], 0);
        pulls[arm] = 0;
    }

    /**
     * Discounts every arm's evidence by factor in (0, 1]: A = I + f (A - I), b = f b. Recomputes the
     * inverse by Gauss-Jordan (O(K d^3); change points are rare).
     */
    public void discount(double factor) {
        Bandit.checkFactor("LinUCB discount", factor);
        if (factor == 1) {
            return;
        }
        double[] a = new double[d * d];
        for (int k = 0; k < arms; k++) {
            if (pulls[k] == 0) {
                continue;
            }
            double[] full = invert(aInv[k], d);
            for (int i = 0; i < d * d; i++) {
                a[i] = factor * full[i];
            }
            for (int i = 0; i < d; i++) {
                a[i * d + i] += 1 - factor;
            }
            System.arraycopy(invert(a, d), 0, aInv[k], 0, d * d);
            for (int i = 0; i < d; i++) {
                b[k][i] *= factor;
            }
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += aInv[k][i * d + j] * b[k][j];
                }
                theta[k][i] = s;
            }
        }
    }

    /** The inverse of a symmetric positive definite matrix (Gauss-Jordan with partial pivoting). */
    static double[] invert(double[] m, int n) {
        double[] a = m.clone();
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) {
                    p = r;
                }
            }
            if (p != c) {
                for (int j = 0; j < n; j++) {
                    double t = a[c * n + j];
                    a[c * n + j] = a[p * n + j];
                    a[p * n + j] = t;
                    t = inv[c * n + j];
                    inv[c * n + j] = inv[p * n + j];
                    inv[p * n + j] = t;
                }
            }
            double piv = a[c * n + c];
            for (int j = 0; j < n; j++) {
                a[c * n + j] /= piv;
                inv[c * n + j] /= piv;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = a[r * n + c];
                    if (f != 0) {
                        for (int j = 0; j < n; j++) {
                            a[r * n + j] -= f * a[c * n + j];
                            inv[r * n + j] -= f * inv[c * n + j];
                        }
                    }
                }
            }
        }
        return inv;
    }

    private void checkContext(double[] x) {
        if (x == null || x.length < d) {
            throw new IllegalArgumentException("LinUCB context has " + (x == null ? "no" : x.length) + " values, needs " + d);
        }
    }
}
