package io.chronofabric.clogic.adp.internal.bandit;

import java.util.SplittableRandom;

/**
 * EXP3 (Auer, Cesa-Bianchi, Freund &amp; Schapire 2002) for adversarial rewards:
 * p_i = (1 - gamma) w_i / W + gamma / K; after reward x of the pulled arm i, w_i *= exp(gamma x / (p_i K)).
 * With share alpha &gt; 0 it is their EXP3.S for a drifting best arm: every weight then also gets
 * e alpha W / K, so no arm falls so far behind that it cannot come back. Weights are rescaled so the
 * largest is 1 (no overflow). Seeded.
 */
public final class Exp3 implements Bandit {
    private final double gamma;
    private final double share;
    private final double[] weights;
    private final double[] probabilities;
    private final long[] pulls;
    private final SplittableRandom random;

    public Exp3(int arms, double gamma, double share, long seed) {
        Bandit.checkArms(arms);
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("EXP3 gamma must be in (0, 1], was " + gamma);
        }
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("EXP3.S share alpha must be in [0, 1), was " + share);
        }
        this.gamma = gamma;
        this.share = share;
        weights = new double[arms];
        java.util.Arrays.fill(weights, 1);
        probabilities = new double[arms];
        pulls = new long[arms];
        random = new SplittableRandom(seed);
        refresh();
    }

    private void refresh() {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        int k = weights.length;
        for (int i = 0; i < k; i++) {
            probabilities[i] = (1 - gamma) * weights[i] / sum + gamma / k;
        }
    }

    public double probability(int arm) {
        return probabilities[arm];
    }

    @Override
    public int arms() {
        return weights.length;
    }

    @Override
    public int select() {
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < probabilities.length; i++) {
            acc += probabilities[i];
            if (u < acc) {
                return i;
            }
        }
        return probabilities.length - 1;
    }

    @Override
    public void update(int arm, double reward) {
        Bandit.checkReward(arm, weights.length, reward);
        pulls[arm]++;
        int k = weights.length;
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double estimate = reward / probabilities[arm];
        weights[arm] *= Math.exp(gamma * estimate / k);
        double max = 0;
        for (int i = 0; i < k; i++) {
            weights[i] += Math.E * share * total / k;
            max = Math.max(max, weights[i]);
        }
        for (int i = 0; i < k; i++) {
            weights[i] /= max;
        }
        refresh();
    }

    @Override
    public long pulls(int arm) {
        return pulls[arm];
    }
}
