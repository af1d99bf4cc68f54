package io.chronofabric.clogic.adp.internal.bandit;

/**
 * UCB1 (Auer, Cesa-Bianchi &amp; Fischer 2002): pull every arm once, then the arm maximising
 * mean_i + sqrt(2 ln n / n_i), n the total pulls. An exploration factor (default 1) scales the bonus
 * (ADP raises it with arousal). Ties go to the lowest index. Pulls are kept as doubles so a
 * change-point discount can scale them.
 */
public final class Ucb1 implements Bandit {
    private final double[] pulls;
    private final double[] sums;
    private final long[] count;
    private double total;
    private double exploration = 1;

    public Ucb1(int arms) {
        Bandit.checkArms(arms);
        pulls = new double[arms];
        sums = new double[arms];
        count = new long[arms];
    }

    /** The confidence bonus sqrt(2 ln n / n_i). */
    public static double bonus(long totalPulls, long armPulls) {
        if (armPulls <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(2 * Math.log(totalPulls) / armPulls);
    }

    @Override
    public void exploration(double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("exploration factor must be a finite number >= 0, was " + factor);
        }
        exploration = factor;
    }

    @Override
    public int arms() {
        return pulls.length;
    }

    @Override
    public int select(long eligible) {
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        double twoLnN = 2 * Math.log(Math.max(1, total)); // once per decision, not per arm
        int n = pulls.length;
        if (n <= 64) {
            // only the eligible arms' bits, lowest first
            for (long m = n == 64 ? eligible : eligible & ((1L << n) - 1); m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                double p = pulls[i];
                if (p < 1e-9) {
                    return i;
                }
                double v = sums[i] / p + exploration * Math.sqrt(twoLnN / p);
                if (v > bestValue || best < 0) {
                    bestValue = v;
                    best = i;
                }
            }
            return Math.max(best, 0);
        }
        for (int i = 0; i < n; i++) {
            if (!Bandit.eligible(eligible, i)) {
                continue;
            }
            if (pulls[i] < 1e-9) {
                return i;
            }
            double v = sums[i] / pulls[i] + exploration * Math.sqrt(twoLnN / pulls[i]);
            if (v > bestValue || best < 0) {
                bestValue = v;
                best = i;
            }
        }
        return Math.max(best, 0);
    }

    @Override
    public void update(int arm, double reward) {
        Bandit.checkReward(arm, pulls.length, reward);
        pulls[arm]++;
        count[arm]++;
        sums[arm] += reward;
        total++;
    }

    /** Sets an arm's evidence (restored statistics). */
    public void restore(int arm, double armPulls, double rewardSum) {
        total += armPulls - pulls[arm];
        pulls[arm] = armPulls;
        sums[arm] = rewardSum;
        count[arm] = (long) armPulls;
    }

    @Override
    public void reset(int arm) {
        total -= pulls[arm];
        pulls[arm] = 0;
        sums[arm] = 0;
        count[arm] = 0;
    }

    @Override
    public void discount(double factor) {
        Bandit.checkFactor("UCB1 discount", factor);
        total = 0;
        for (int i = 0; i < pulls.length; i++) {
            pulls[i] *= factor;
            sums[i] *= factor;
            total += pulls[i];
        }
    }

    @Override
    public long pulls(int arm) {
        return count[arm];
    }

    public double mean(int arm) {
        return pulls[arm] < 1e-9 ? Double.NaN : sums[arm] / pulls[arm];
    }
}
