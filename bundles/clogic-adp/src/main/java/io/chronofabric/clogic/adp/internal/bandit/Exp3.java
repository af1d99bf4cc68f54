package io.chronofabric.clogic.adp.internal.bandit;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * EXP3 (Auer, Cesa-Bianchi, Freund &amp; Schapire 2002) for adversarial rewards:
 * p_i = (1 - gamma) w_i / W + gamma / K; after reward x of the pulled arm i, w_i *= exp(gamma x / (p_i K)).
 * With share alpha &gt; 0 it is their EXP3.S for a drifting best arm: every weight then also gets
 * e alpha W / K, so no arm falls so far behind that it cannot come back. Weights are rescaled so the
 * largest is 1 (no overflow). Seeded. With a mask of eligible arms, K and the probabilities are
 * those of the eligible arms (the update uses the probability the pulled arm had when chosen). An
 * exploration factor scales gamma (capped at 1).
 */
public final class Exp3 implements Bandit {
    private final double baseGamma;
    private double gamma;
    private double lastP = 1;
    private int lastK = 1;
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
        this.baseGamma = gamma;
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
    public int select(long eligible) {
        int arm = select(eligible, random, own);
        lastP = own.probability;
        lastK = own.pool;
        return arm;
    }

    private final Selection own = new Selection();

    /** Reads the weights only; the draw comes from the caller's generator, p and K go to {@code out}. */
    @Override
    public int select(long eligible, RandomGenerator random, Selection out) {
        int k = weights.length;
        double sum = 0;
        int n = 0;
        int last = -1;
        for (int i = 0; i < k; i++) {
            if (Bandit.eligible(eligible, i)) {
                sum += weights[i];
                n++;
                last = i;
            }
        }
        if (n == 0) {
            out.probability = 1;
            out.pool = 1;
            return 0;
        }
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < k; i++) {
            if (!Bandit.eligible(eligible, i)) {
                continue;
            }
            double p = (1 - gamma) * weights[i] / sum + gamma / n;
            acc += p;
            if (u < acc || i == last) {
                out.probability = p;
                out.pool = n;
                return i;
            }
        }
        return last;
    }

    @Override
    public void exploration(double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("exploration factor must be a finite number >= 0, was " + factor);
        }
        gamma = Math.max(1e-6, Math.min(1, baseGamma * factor));
        refresh();
    }

    public double weight(int arm) {
        return weights[arm];
    }

    /** Sets an arm's weight and pull count (restored state); the weight must be finite and &gt; 0. */
    public void restore(int arm, double weight, long armPulls) {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("EXP3 weight " + weight + " of arm " + arm + " must be a finite number > 0");
        }
        weights[arm] = weight;
        pulls[arm] = armPulls;
        refresh();
    }

    @Override
    public void reset(int arm) {
        weights[arm] = 1;
        pulls[arm] = 0;
        refresh();
    }

    @Override
    public void discount(double factor) {
        Bandit.checkFactor("EXP3 discount", factor);
        // the evidence is in the weights' ratios: pull them toward equal (log-weights times factor)
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.pow(weights[i], factor);
        }
        refresh();
    }

    @Override
    public double selectionProbability() {
        return lastP;
    }

    @Override
    public int selectionPool() {
        return lastK;
    }

    @Override
    public void update(int arm, double reward) {
        update(arm, reward, lastP, lastK);
    }

    @Override
    public void update(int arm, double reward, double p, int k) {
        Bandit.checkReward(arm, weights.length, reward);
        if (!(p > 0 && p <= 1) || k < 1) {
            throw new IllegalArgumentException("EXP3 update of arm " + arm + ": selection probability " + p + " must be in (0, 1] and pool " + k + " >= 1");
        }
        pulls[arm]++;
        int n = weights.length;
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double estimate = reward / p;
        weights[arm] *= Math.exp(gamma * estimate / k);
        double max = 0;
        for (int i = 0; i < n; i++) {
            weights[i] += Math.E * share * total / n;
            max = Math.max(max, weights[i]);
        }
        for (int i = 0; i < n; i++) {
            weights[i] /= max;
        }
        refresh();
    }

    @Override
    public long pulls(int arm) {
        return pulls[arm];
    }
}
