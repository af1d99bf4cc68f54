package io.chronofabric.clogic.drpp.internal.algo;

/**
 * Bayesian online changepoint detection (Adams &amp; MacKay, "Bayesian Online Changepoint Detection",
 * 2007) with a constant hazard 1/λ and a Gaussian observation model of unknown mean and variance
 * (Normal-Gamma prior, Student-t predictive; Murphy 2007, "Conjugate Bayesian analysis of the
 * Gaussian distribution"). The run-length distribution is truncated at {@code maxRun} (the mass
 * beyond it stays in the last bucket).
 *
 * <p>Values are standardised by a level and spread learnt over the first {@code warmup} samples, so
 * the prior (μ₀ = 0, κ₀ = 1, α₀ = 1, β₀ = 1) is on the unit scale. A change is reported when the
 * probability that the current run is at most {@code lag} samples long exceeds {@code threshold}
 * after a run of more than 2·lag; it is then quiet until the most probable run is longer than 2·lag
 * again. Per sample O(maxRun) with one logarithm per run length; allocation-free. Not thread-safe.
 */
public final class Bocpd {

    private static final double MU0 = 0;
    private static final double KAPPA0 = 1;
    private static final double ALPHA0 = 1;
    private static final double BETA0 = 1;

    private final int maxRun;
    private final double hazard;
    private final int lag;
    private final int warmup;
    private double threshold;
    private final double[] p;      // run-length posterior, index = run length
    private final double[] next;
    private final double[] mu;
    private final double[] kappa;
    private final double[] beta;
    private final double[] muNext;
    private final double[] kappaNext;
    private final double[] betaNext;
    private final double[] logGammaRatio; // lnΓ(α_r + 1/2) − lnΓ(α_r), α_r = α₀ + r/2
    private int runs;                     // run lengths in use: 0 .. runs-1
    private long learned;
    private double mean;
    private double m2;
    private double sd;
    private boolean armed;
    private double lastProbability;
    private long samples;

    /**
     * @param lambda expected run length 1/hazard, > 1
     * @param maxRun longest run length tracked, 8..65536
     * @param lag a run at most this long counts as "just changed", 1..maxRun/4
     * @param threshold probability of such a short run that reports a change, (0,1)
     * @param warmup samples that learn the standardisation, >= 2
     */
    public Bocpd(double lambda, int maxRun, int lag, double threshold, int warmup) {
        if (!(lambda > 1) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("BOCPD expected run length lambda must be > 1 and finite, was " + lambda);
        }
        if (maxRun < 8 || maxRun > 65536) {
            throw new IllegalArgumentException("BOCPD max run must be in [8, 65536], was " + maxRun);
        }
        if (lag < 1 || lag > maxRun / 4) {
            throw new IllegalArgumentException("BOCPD lag must be in [1, maxRun/4 = " + maxRun / 4 + "], was " + lag);
        }
        if (warmup < 2) {
            throw new IllegalArgumentException("BOCPD warm-up must be at least 2 samples, was " + warmup);
        }
        setThreshold(threshold);
        this.maxRun = maxRun;
        this.hazard = 1 / lambda;
        this.lag = lag;
        this.warmup = warmup;
        p = new double[maxRun + 1];
        next = new double[maxRun + 1];
        mu = new double[maxRun + 1];
        kappa = new double[maxRun + 1];
        beta = new double[maxRun + 1];
        muNext = new double[maxRun + 1];
        kappaNext = new double[maxRun + 1];
        betaNext = new double[maxRun + 1];
        logGammaRatio = new double[maxRun + 1];
        for (int r = 0; r <= maxRun; r++) {
            double a = ALPHA0 + r / 2.0;
            logGammaRatio[r] = logGamma(a + 0.5) - logGamma(a);
        }
        restart();
    }

    public void setThreshold(double t) {
        if (!(t > 0 && t < 1)) {
            throw new IllegalArgumentException("BOCPD threshold must be in (0, 1), was " + t);
        }
        threshold = t;
    }

    private void restart() {
        runs = 1;
        p[0] = 1;
        mu[0] = MU0;
        kappa[0] = KAPPA0;
        beta[0] = BETA0;
        armed = false;
    }

    /** Feeds x; returns true when it reports a change. */
    public boolean add(double x) {
        samples++;
        if (learned < warmup) {
            learned++;
            double d = x - mean;
            mean += d / learned;
            m2 += d * (x - mean);
            if (learned == warmup) {
                sd = Math.sqrt(m2 / (learned - 1));
                if (sd < 1e-12) {
                    sd = 1e-12 + Math.abs(mean) * 1e-9;
                }
            }
            return false;
        }
        double z = (x - mean) / sd;
        return update(z);
    }

    /** One step of the recursion on a standardised value (exposed for tests). */
    boolean update(double z) {
        double cp = 0;
        double total = 0;
        int n = runs;
        for (int r = 0; r < n; r++) {
            double a = ALPHA0 + r / 2.0;
            double k = kappa[r];
            double nu = 2 * a;
            double scale2 = beta[r] * (k + 1) / (a * k);
            double dz = z - mu[r];
            double logPdf = logGammaRatio[r] - 0.5 * Math.log(Math.PI * nu * scale2)
                    - (nu + 1) / 2 * Math.log1p(dz * dz / (nu * scale2));
            double joint = p[r] * Math.exp(logPdf);
            cp += joint * hazard;
            int grown = Math.min(r + 1, maxRun);
            double g = joint * (1 - hazard);
            if (grown == r) { // the last bucket keeps its mass
                next[grown] += g;
            } else {
                next[grown] = g;
            }
            total += joint;
            // posterior parameters of the grown run
            muNext[grown] = (k * mu[r] + z) / (k + 1);
            kappaNext[grown] = k + 1;
            betaNext[grown] = beta[r] + k * dz * dz / (2 * (k + 1));
        }
        next[0] = cp;
        int m = Math.min(n + 1, maxRun + 1);
        double norm = total > 0 ? 1 / total : 0;
        if (norm == 0 || !Double.isFinite(norm)) { // a value no run explains: start afresh
            restart();
            return false;
        }
        muNext[0] = MU0;
        kappaNext[0] = KAPPA0;
        betaNext[0] = BETA0;
        for (int r = 0; r < m; r++) {
            p[r] = next[r] * norm;
            next[r] = 0;
            mu[r] = muNext[r];
            kappa[r] = kappaNext[r];
            beta[r] = betaNext[r];
        }
        runs = m;
        double shortRun = 0;
        int best = 0;
        for (int r = 0; r < m; r++) {
            if (r <= lag) {
                shortRun += p[r];
            }
            if (p[r] > p[best]) {
                best = r;
            }
        }
        lastProbability = shortRun;
        if (best > 2 * lag) {
            armed = true;
        }
        if (armed && shortRun > threshold) {
            armed = false;
            return true;
        }
        return false;
    }

    /** P(run length <= lag) after the last sample. */
    public double shortRunProbability() {
        return lastProbability;
    }

    /** P(run length = r) after the last sample (0 beyond the runs in use). */
    public double runLengthProbability(int r) {
        return r < runs ? p[r] : 0;
    }

    /** The most probable run length. */
    public int mostProbableRun() {
        int best = 0;
        for (int r = 1; r < runs; r++) {
            if (p[r] > p[best]) {
                best = r;
            }
        }
        return best;
    }

    public long samples() {
        return samples;
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 digits). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
