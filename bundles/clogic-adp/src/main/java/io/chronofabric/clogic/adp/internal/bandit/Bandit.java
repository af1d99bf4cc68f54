package io.chronofabric.clogic.adp.internal.bandit;

/** A K-armed bandit policy; rewards in [0, 1]. Not thread-safe: one caller at a time. */
public interface Bandit {

    int arms();

    /** The arm to pull next. */
    int select();

    /** The reward the pulled arm gave, in [0, 1]. */
    void update(int arm, double reward);

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
