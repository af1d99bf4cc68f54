package io.chronofabric.clogic.adp.internal.bandit;

import java.util.SplittableRandom;

/**
 * Thompson sampling with Beta(1, 1) priors (Agrawal &amp; Goyal 2012): a reward r in [0, 1] counts as a
 * Bernoulli success with probability r; select draws theta_i ~ Beta(1 + s_i, 1 + f_i) and takes the
 * largest. Beta draws from two Gamma draws (Marsaglia &amp; Tsang 2000). Seeded.
 */
public final class Thompson implements Bandit {
    private final long[] successes;
    private final long[] failures;
    private final SplittableRandom random;

    public Thompson(int arms, long seed) {
        Bandit.checkArms(arms);
        successes = new long[arms];
        failures = new long[arms];
        random = new SplittableRandom(seed);
    }

    @Override
    public int arms() {
        return successes.length;
    }

    @Override
    public int select() {
        int best = 0;
        double bestTheta = -1;
        for (int i = 0; i < successes.length; i++) {
            double theta = beta(1 + successes[i], 1 + failures[i]);
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
        if (random.nextDouble() < reward) {
            successes[arm]++;
        } else {
            failures[arm]++;
        }
    }

    @Override
    public long pulls(int arm) {
        return successes[arm] + failures[arm];
    }

    double beta(double a, double b) {
        double x = gamma(a);
        double y = gamma(b);
        return x / (x + y);
    }

    /** Marsaglia-Tsang for shape &gt;= 1 (all shapes here are). */
    private double gamma(double shape) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = gaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private double gaussian() {
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
