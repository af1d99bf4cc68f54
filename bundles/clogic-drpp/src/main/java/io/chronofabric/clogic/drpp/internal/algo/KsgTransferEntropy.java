package io.chronofabric.clogic.drpp.internal.algo;

import java.util.SplittableRandom;

/**
 * Transfer entropy T(X→Y) of continuous series in nats by the Kraskov-Stögbauer-Grassberger
 * nearest-neighbour estimator (Kraskov, Stögbauer, Grassberger, PRE 69, 066138, 2004, algorithm 1)
 * applied to the conditional mutual information I(Y_t ; X^(l)_{t-1} | Y^(k)_{t-1}) (Frenzel &amp; Pompe,
 * PRL 99, 2007; Gomez-Herrero et al. 2015), under the maximum norm:
 * T = ψ(K) + ⟨ψ(n_z + 1) − ψ(n_xz + 1) − ψ(n_yz + 1)⟩, where ε_i is the distance to the K-th neighbour
 * of point i in the joint space and the n count points strictly closer than ε_i in the subspaces
 * (z = target past, x = source past, y = target next).
 *
 * <p>Each series is first normalised to mean 0 and variance 1 and given Gaussian noise of standard
 * deviation {@code noise} (1e-8 by default, seeded), so that tied values do not make ε zero, as in
 * Kraskov's paper. Neighbour searches use {@link KdTree}s, O(N log N) in all. The permutation test
 * shuffles the source-history vectors among observations and recomputes the estimate; the p-value is
 * (1 + #{surrogate ≥ observed}) / (1 + surrogates).
 *
 * <p>Allocates its working arrays per call; not for the per-sample path. Thread-safe (no state).
 */
public final class KsgTransferEntropy {

    /** Result: value in nats, p-value (NaN without surrogates), observations used. */
    public record Result(double value, double pValue, int observations, int surrogates) {
    }

    private final int k;
    private final int l;
    private final int neighbours;
    private final double noise;

    public KsgTransferEntropy(int k, int l, int neighbours) {
        this(k, l, neighbours, 1e-8);
    }

    public KsgTransferEntropy(int k, int l, int neighbours, double noise) {
        if (k < 1 || k > 16) {
            throw new IllegalArgumentException("target history k must be in [1, 16], was " + k);
        }
        if (l < 1 || l > 16) {
            throw new IllegalArgumentException("source history l must be in [1, 16], was " + l);
        }
        if (neighbours < 1 || neighbours > 64) {
            throw new IllegalArgumentException("KSG neighbours K must be in [1, 64], was " + neighbours);
        }
        if (!(noise >= 0)) {
            throw new IllegalArgumentException("noise must be >= 0, was " + noise);
        }
        this.k = k;
        this.l = l;
        this.neighbours = neighbours;
        this.noise = noise;
    }

    /** Observations a pair of series of length n yields. */
    public int observations(int n) {
        return n - Math.max(k, l);
    }

    public Result compute(double[] source, double[] target, int surrogates, long seed) {
        if (source.length != target.length) {
            throw new IllegalArgumentException("source and target must have the same length, were "
                    + source.length + " and " + target.length);
        }
        int n = source.length;
        int start = Math.max(k, l);
        int m = n - start;
        if (m <= neighbours + 1) {
            throw new IllegalArgumentException("KSG with K = " + neighbours + ", k = " + k + ", l = " + l
                    + " needs more than " + (start + neighbours + 1) + " samples, got " + n);
        }
        if (surrogates < 0) {
            throw new IllegalArgumentException("surrogates must be >= 0, was " + surrogates);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = normalise(source, rnd, "source");
        double[] y = normalise(target, rnd, "target");

        int dj = l + 1 + k, dxz = l + k, dyz = 1 + k;
        double[] xPast = new double[m * l];
        double[] yz = new double[m * dyz];
        double[] z = new double[m * k];
        for (int i = 0; i < m; i++) {
            int t = start + i;
            for (int a = 0; a < l; a++) {
                xPast[i * l + a] = x[t - l + a];
            }
            yz[i * dyz] = y[t];
            for (int a = 0; a < k; a++) {
                yz[i * dyz + 1 + a] = y[t - k + a];
                z[i * k + a] = y[t - k + a];
            }
        }
        double[] digamma = digammaTable(m + 1);
        KdTree yzTree = new KdTree(yz, m, dyz);
        KdTree zTree = new KdTree(z, m, k);
        int[] perm = new int[m];
        for (int i = 0; i < m; i++) {
            perm[i] = i;
        }
        double[] joint = new double[m * dj];
        double[] xz = new double[m * dxz];
        double observed = estimate(xPast, yz, z, perm, joint, xz, yzTree, zTree, m, digamma);
        if (surrogates == 0) {
            return new Result(observed, Double.NaN, m, 0);
        }
        int atLeast = 0;
        for (int s = 0; s < surrogates; s++) {
            for (int i = m - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            double v = estimate(xPast, yz, z, perm, joint, xz, yzTree, zTree, m, digamma);
            if (v >= observed) {
                atLeast++;
            }
        }
        return new Result(observed, (1.0 + atLeast) / (1.0 + surrogates), m, surrogates);
    }

    private double estimate(double[] xPast, double[] yz, double[] z, int[] perm, double[] joint, double[] xz,
            KdTree yzTree, KdTree zTree, int m, double[] digamma) {
        int dj = l + 1 + k, dxz = l + k, dyz = 1 + k;
        for (int i = 0; i < m; i++) {
            int src = perm[i];
            System.arraycopy(xPast, src * l, joint, i * dj, l);
            System.arraycopy(yz, i * dyz, joint, i * dj + l, dyz);
            System.arraycopy(xPast, src * l, xz, i * dxz, l);
            System.arraycopy(z, i * k, xz, i * dxz + l, k);
        }
        KdTree jointTree = new KdTree(joint, m, dj);
        KdTree xzTree = new KdTree(xz, m, dxz);
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double eps = jointTree.kthNearest(joint, i * dj, neighbours, i);
            int nxz = xzTree.countWithin(xz, i * dxz, eps, i);
            int nyz = yzTree.countWithin(yz, i * dyz, eps, i);
            int nz = zTree.countWithin(z, i * k, eps, i);
            sum += digamma[nz + 1] - digamma[nxz + 1] - digamma[nyz + 1];
        }
        return digamma[neighbours] + sum / m;
    }

    /** ψ(n) for n = 0 … max (ψ(0) is unused, NaN): ψ(1) = −γ, ψ(n+1) = ψ(n) + 1/n. */
    static double[] digammaTable(int max) {
        double[] t = new double[max + 1];
        t[0] = Double.NaN;
        t[1] = -0.57721566490153286061;
        for (int i = 2; i <= max; i++) {
            t[i] = t[i - 1] + 1.0 / (i - 1);
        }
        return t;
    }

    private double[] normalise(double[] v, SplittableRandom rnd, String what) {
        int n = v.length;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(what + " value " + i + " is not a finite number: " + v[i]);
            }
            mean += v[i];
        }
        mean /= n;
        double var = 0;
        for (double a : v) {
            var += (a - mean) * (a - mean);
        }
        double sd = Math.sqrt(var / Math.max(1, n - 1));
        double scale = sd > 0 ? 1 / sd : 1;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (v[i] - mean) * scale + (noise > 0 ? noise * gaussian(rnd) : 0);
        }
        return out;
    }

    static double gaussian(SplittableRandom rnd) {
        // Marsaglia polar method
        double u, w, s;
        do {
            u = 2 * rnd.nextDouble() - 1;
            w = 2 * rnd.nextDouble() - 1;
            s = u * u + w * w;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
