package io.chronofabric.clogic.adp.internal.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BanditTest {

    @Test
    void shouldComputeTheUcb1BonusOfThePublishedCheck() {
        assertThat(Ucb1.bonus(10, 3)).isEqualTo(1.2389740629499462);
        assertThat(Ucb1.bonus(10, 0)).isInfinite();
    }

    @Test
    void shouldPullEveryArmOnceThenFollowTheUpperConfidenceBound() {
        Ucb1 u = new Ucb1(3);
        for (int i = 0; i < 3; i++) {
            assertThat(u.select()).isEqualTo(i);
            u.update(i, i == 1 ? 1 : 0);
        }
        assertThat(u.select()).isEqualTo(1);
        // arm 0 with 3 pulls, arm 1 with 6, arm 2 with 1 (10 in all): the values are mean + bonus
        Ucb1 v = new Ucb1(3);
        for (int k = 0; k < 3; k++) {
            v.update(0, 0.5);
        }
        for (int k = 0; k < 6; k++) {
            v.update(1, 0.6);
        }
        v.update(2, 0.1);
        double a0 = 0.5 + Ucb1.bonus(10, 3);
        double a1 = 0.6 + Ucb1.bonus(10, 6);
        double a2 = 0.1 + Ucb1.bonus(10, 1);
        int expected = a0 >= a1 && a0 >= a2 ? 0 : a1 >= a2 ? 1 : 2;
        assertThat(v.select()).isEqualTo(expected);
    }

    /** Regret (expected, from the true means) after T pulls of Bernoulli arms. */
    private static double regret(Bandit b, double[] means, int pulls, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double best = 0;
        for (double m : means) {
            best = Math.max(best, m);
        }
        double regret = 0;
        for (int t = 0; t < pulls; t++) {
            int arm = b.select();
            regret += best - means[arm];
            b.update(arm, r.nextDouble() < means[arm] ? 1 : 0);
        }
        return regret;
    }

    private static void shouldLearnTheBetterPlace(Supplier<Bandit> make, double maxShareOfWorse) {
        double[] means = {0.5, 0.8};
        double r1 = 0;
        double r10 = 0;
        for (long seed = 1; seed <= 5; seed++) {
            r1 += regret(make.get(), means, 2_000, seed);
            Bandit b = make.get();
            r10 += regret(b, means, 20_000, seed);
            assertThat((double) b.pulls(0) / 20_000).as("share of the worse arm").isLessThan(maxShareOfWorse);
        }
        // sub-linear: ten times the pulls, far less than ten times the regret
        assertThat(r10 / r1).as("regret(20000) / regret(2000)").isLessThan(5);
    }

    @Test
    void shouldLearnTheBetterPlaceWithSubLinearRegret() {
        shouldLearnTheBetterPlace(() -> new Ucb1(2), 0.05);
        long[] seeds = {11};
        shouldLearnTheBetterPlace(() -> new Thompson(2, seeds[0]++), 0.02);
        // plain EXP3 (gamma 0.05) on a stationary problem: mostly the better arm, regret sub-linear
        shouldLearnTheBetterPlace(() -> new Exp3(2, 0.05, 0, seeds[0]++), 0.1);
    }

    @Test
    void shouldFollowADriftingBestArmWithExp3() {
        Exp3 e = new Exp3(2, 0.1, 0.001, 5);
        SplittableRandom r = new SplittableRandom(9);
        int secondHalfBest = 0;
        for (int t = 0; t < 20_000; t++) {
            double[] means = t < 10_000 ? new double[] {0.9, 0.2} : new double[] {0.2, 0.9};
            int arm = e.select();
            if (t >= 15_000 && arm == 1) {
                secondHalfBest++;
            }
            e.update(arm, r.nextDouble() < means[arm] ? 1 : 0);
        }
        assertThat(secondHalfBest / 5_000.0).isGreaterThan(0.8);
        assertThat(e.probability(0) + e.probability(1)).isCloseTo(1, within(1e-12));
        assertThat(e.probability(0)).isGreaterThanOrEqualTo(0.05 - 1e-12);
    }

    @Test
    void shouldRefuseBadInput() {
        assertThatThrownBy(() -> new Ucb1(2).update(2, 0.5)).hasMessage("arm 2 is outside 0..1");
        assertThatThrownBy(() -> new Ucb1(2).update(0, 1.5)).hasMessage("reward 1.5 of arm 0 is outside [0, 1]");
        assertThatThrownBy(() -> new Exp3(2, 0, 0, 1)).hasMessageContaining("gamma must be in (0, 1]");
        assertThatThrownBy(() -> new Exp3(2, 0.1, 1, 1)).hasMessageContaining("share alpha must be in [0, 1)");
        assertThatThrownBy(() -> new PowerOfDChoices(0, 1)).hasMessageContaining("d must be in 1..64");
        assertThatThrownBy(() -> new Thompson(0, 1)).hasMessageContaining("arms must be in 1..1000000");
    }

    @Test
    void shouldGiveTheSupermarketModelLimits() {
        assertThat(PowerOfDChoices.supermarketLimit(2, 0.9)).isCloseTo(2.614, within(5e-4));
        assertThat(PowerOfDChoices.supermarketLimit(1, 0.9)).isCloseTo(10, within(1e-12));
    }

    @Test
    void shouldReproduceTheSupermarketModelBySimulation() {
        double d2 = SupermarketSimulation.meanSojourn(500, 2, 0.9, 200, 1_500, 42);
        assertThat(d2).as("d=2, lambda=0.9 (Mitzenmacher: 2.614)").isCloseTo(2.614, within(2.614 * 0.03));
        double d1 = SupermarketSimulation.meanSojourn(500, 1, 0.9, 500, 3_000, 43);
        assertThat(d1).as("d=1, lambda=0.9 (M/M/1: 10)").isCloseTo(10, within(10 * 0.05));
    }
}
