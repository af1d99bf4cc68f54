package io.chronofabric.clogic.adp.internal.bandit;

import java.util.random.RandomGenerator;

/**
 * A K-armed bandit policy; rewards in [0, 1]. Not thread-safe: one caller at a time, except
 * {@link #select(long, RandomGenerator, Selection)}, which only reads the state (so several threads may
 * call it at once while no thread updates; ADP validates such reads against its single writer).
 */
public interface Bandit {

    /** What a concurrent selection says beside the arm: the arm's probability and the eligible pool (EXP3's update needs both). */
    final class Selection {
        public double probability = 1;
        public int pool = 1;
    }

    int arms();

    /** The arm to pull next among all arms. */
    default int select() {
        return select(-1L);
    }

    /**
     * The arm to pull next among the eligible ones: arm i &lt; 64 is eligible when bit i of the mask
     * is set (arms from 64 on always are). The caller passes a mask with at least one eligible arm.
     * Allocates nothing.
     */
    int select(long eligible);

    /**
     * {@link #select(long)} for concurrent callers: reads the policy's state and writes nothing of it,
     * draws any randomness from the caller's own {@code random}, and reports the selected arm's
     * probability and pool in {@code out} instead of {@link #selectionProbability()} /
     * {@link #selectionPool()}. Default: the deterministic {@link #select(long)} (probability 1, pool 1),
     * right for policies whose selection reads only.
     */
    default int select(long eligible, RandomGenerator random, Selection out) {
        out.probability = 1;
        out.pool = 1;
        return select(eligible);
    }

    /** Scales the exploration (1 = the algorithm's own; &gt; 1 explores more). Default: ignored. */
    default void exploration(double factor) {
    }

    /** Forgets an arm (a new place in a reused slot). */
    void reset(int arm);

    /**
     * Multiplies the evidence of every arm by factor in (0, 1] (after a change point the old
     * evidence counts less, so the policy explores again).
     */
    void discount(double factor);

    static boolean eligible(long mask, int arm) {
        return arm >= 64 || (mask & (1L << arm)) != 0;
    }

    static void checkFinite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " value " + v + " is not a finite number");
        }
    }

    static void checkFactor(String what, double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException(what + " must be in (0, 1], was " + factor);
        }
    }

    /** The reward the pulled arm gave, in [0, 1]. */
    void update(int arm, double reward);

    /**
     * The reward of an arm pulled while others were outstanding: {@code p} and {@code k} are what
     * {@link #selectionProbability()} and {@link #selectionPool()} said right after it was selected
     * (EXP3's importance weight needs them; the other policies ignore them).
     */
    default void update(int arm, double reward, double p, int k) {
        update(arm, reward);
    }

    /** The probability the last selected arm had (1 for deterministic policies). */
    default double selectionProbability() {
        return 1;
    }

    /** How many arms were eligible at the last selection (1 when it does not matter). */
    default int selectionPool() {
        return 1;
    }

    /** Times each arm was pulled (update calls). */
    long pulls(int arm);

    static void checkReward(int arm, int arms, double reward) {
        if (arm < 0 || arm >= arms) {
            throw new IllegalArgumentException("arm " + arm + " is outside 0.." + (arms - 1));
        }
        if (!(reward >= 0 && reward <= 1)) {
            throw new IllegalArgumentException("reward " + reward + " of arm " + arm + " is outside [0, 1]");
        }
    }

    static void checkArms(int arms) {
        if (arms < 1 || arms > 1_000_000) {
            throw new IllegalArgumentException("arms must be in 1..1000000, was " + arms);
        }
    }
}
