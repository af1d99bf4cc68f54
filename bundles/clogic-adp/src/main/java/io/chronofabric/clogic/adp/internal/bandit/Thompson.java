package io.chronofabric.clogic.adp.internal.bandit;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Thompson sampling with Beta(1, 1) priors (Agrawal &amp; Goyal 2012): a reward r in [0, 1] counts as a
 * Bernoulli success with probability r; select draws theta_i ~ Beta(1 + s_i, 1 + f_i) and takes the
 * largest. Beta draws from two Gamma draws (Marsaglia &amp; Tsang 2000). Seeded. An exploration
 * factor f &gt; 1 tempers the posterior (Beta(1 + s/f, 1 + f_i/f): wider, so it explores more).
 */
public final class Thompson implements Bandit {
    private final double[] successes;
    private final double[] failures;
    private final long[] count;
    private double temper = 1;
    private final SplittableRandom random;

    public Thompson(int arms, long seed) {
        Bandit.checkArms(arms);
        successes = new double[arms];
        failures = new double[arms];
        count = new long[arms];
        random = new SplittableRandom(seed);
    }

    @Override
    public int arms() {
        return successes.length;
    }

    @Override
    public int select(long eligible) {
        return select(eligible, random);
    }

    /** Reads the posteriors only; the draws come from the caller's generator. */
    @Override
    public int select(long eligible, RandomGenerator r, Selection out) {
        out.probability = 1;
        out.pool = 1;
        return select(eligible, r);
    }

    private int select(long eligible, RandomGenerator r) {
        int best = 0;
        double bestTheta = -1;
        double t = 1 / temper;
        for (int i = 0; i < successes.length; i++) {
            if (!Bandit.eligible(eligible, i)) {
                continue;
            }
            double theta = beta(1 + successes[i] * t, 1 + failures[i] * t, r);
            if (theta > bestTheta) {
                bestTheta = theta;
                best = i;
            }
        }
        return best;
    }

    @Override
    public void update(int arm, double reward) {
        Bandit.checkReward(arm, successes.length, reward);
        count[arm]++;
        if (random.nextDouble() < reward) {
            successes[arm]++;
        } else {
            failures[arm]++;
        }
    }

    @Override
    public long pulls(int arm) {
        return count[arm];
    }

    @Override
    public void exploration(double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("exploration factor must be a finite number >= 0, was " + factor);
        }
        temper = Math.max(0.01, factor);
    }

    /** Sets an arm's evidence (restored statistics). */
    public void restore(int arm, double s, double f) {
        successes[arm] = s;
        failures[arm] = f;
        count[arm] = (long) (s + f);
    }

    @Override
    public void reset(int arm) {
        successes[arm] = 0;
        failures[arm] = 0;
        count[arm] = 0;
    }

    @Override
    public void discount(double factor) {
        Bandit.checkFactor("Thompson discount", factor);
        for (int i = 0; i < successes.length; i++) {
            successes[i] *= factor;
            failures[i] *= factor;
        }
    }

    double beta(double a, double b) {
        return beta(a, b, random);
    }

    private static double beta(double a, double b, RandomGenerator r) {
        double x = gamma(a, r);
        double y = gamma(b, r);
        return x / (x + y);
    }

    /** Marsaglia-Tsang for shape &gt;= 1 (all shapes here are). */
    private static double gamma(double shape, RandomGenerator random) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = gaussian(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private static double gaussian(RandomGenerator random) {
        // Marsaglia polar method
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
