package io.chronofabric.clogic.adp.internal.bandit;

/**
 * UCB1 (Auer, Cesa-Bianchi &amp; Fischer 2002): pull every arm once, then the arm maximising
 * mean_i + sqrt(2 ln n / n_i), n the total pulls. An exploration factor (default 1) scales the bonus
 * (ADP raises it with arousal). Ties go to the lowest index.
 */
public final class Ucb1 implements Bandit {
    private final long[] pulls;
    private final double[] sums;
    private long total;
    private double exploration = 1;

    public Ucb1(int arms) {
        Bandit.checkArms(arms);
        pulls = new long[arms];
        sums = new double[arms];
    }

    /** The confidence bonus sqrt(2 ln n / n_i). */
    public static double bonus(long totalPulls, long armPulls) {
        if (armPulls <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(2 * Math.log(totalPulls) / armPulls);
    }

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
    public int select() {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        double twoLnN = 2 * Math.log(total); // once per decision, not per arm
        for (int i = 0; i < pulls.length; i++) {
            if (pulls[i] == 0) {
                return i;
            }
            double v = sums[i] / pulls[i] + exploration * Math.sqrt(twoLnN / pulls[i]);
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    @Override
    public void update(int arm, double reward) {
        Bandit.checkReward(arm, pulls.length, reward);
        pulls[arm]++;
        sums[arm] += reward;
        total++;
    }

    @Override
    public long pulls(int arm) {
        return pulls[arm];
    }

    public double mean(int arm) {
        return pulls[arm] == 0 ? Double.NaN : sums[arm] / pulls[arm];
    }
}
