package io.chronofabric.clogic.adp.internal.bandit;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Power of d choices (Mitzenmacher 2001; Azar et al. 1994): sample d places independently and
 * uniformly (with replacement) and take the one with the shortest queue; ties go to the first sampled.
 * Seeded; allocates nothing.
 */
public final class PowerOfDChoices {
    private final int d;
    private final SplittableRandom random;

    public PowerOfDChoices(int d, long seed) {
        if (d < 1 || d > 64) {
            throw new IllegalArgumentException("d must be in 1..64, was " + d);
        }
        this.d = d;
        this.random = new SplittableRandom(seed);
    }

    public int d() {
        return d;
    }

    /** Index of the chosen place given the current queue lengths. */
    public int choose(int[] queueLengths) {
        int n = queueLengths.length;
        if (n == 0) {
            throw new IllegalArgumentException("no places to choose from");
        }
        int best = random.nextInt(n);
        for (int k = 1; k < d; k++) {
            int c = random.nextInt(n);
            if (queueLengths[c] < queueLengths[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The chosen arm among {@code candidates[0..n)}, by {@code queueByArm[arm]}; ties go to the first
     * sampled. Allocates nothing.
     */
    public int choose(int[] candidates, int n, int[] queueByArm) {
        return choose(candidates, n, queueByArm, random);
    }

    /** {@link #choose(int[], int, int[])} drawing from the caller's generator (several threads at once, each its own). */
    public int choose(int[] candidates, int n, int[] queueByArm, RandomGenerator random) {
        if (n <= 0) {
            throw new IllegalArgumentException("no places to choose from");
        }
        int best = candidates[random.nextInt(n)];
        for (int k = 1; k < d; k++) {
            int c = candidates[random.nextInt(n)];
            if (queueByArm[c] < queueByArm[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Mean sojourn time of the supermarket model as n goes to infinity: sum over i &gt;= 1 of lambda^((d^i - d)/(d - 1)); 1/(1-lambda) for d = 1. */
    public static double supermarketLimit(int d, double lambda) {
        if (!(lambda > 0 && lambda < 1)) {
            throw new IllegalArgumentException("lambda must be in (0, 1), was " + lambda);
        }
        if (d == 1) {
            return 1 / (1 - lambda);
        }
        double sum = 0;
        for (int i = 1; i < 64; i++) {
            double exponent = (Math.pow(d, i) - d) / (d - 1);
            double term = Math.pow(lambda, exponent);
            sum += term;
            if (term < 1e-17) {
                break;
            }
        }
        return sum;
    }
}
