package io.chronofabric.clogic.drpp.internal.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KuramotoTest {

    @Test
    void shouldLockTwoOscillatorsAtArcsinOfDeltaOmegaOverK() {
        double k = 2.0, dw = 1.2;
        Kuramoto net = new Kuramoto(2, k);
        net.setNaturalFrequency(0, 3.0 + dw);
        net.setNaturalFrequency(1, 3.0);
        net.setPhase(0, 2.5);
        net.setPhase(1, 0.0);
        for (int i = 0; i < 20000; i++) {
            net.step(0.001);
        }
        double phiStar = Math.asin(dw / k);
        assertThat(net.phaseDifference(0, 1)).isCloseTo(phiStar, within(1e-6));
        assertThat(net.orderParameter()).isCloseTo(Math.cos(phiStar / 2), within(1e-6));
        assertThat(net.locked(0, 1, 1e-3)).isTrue();
        assertThat(net.effectiveFrequency(0)).isCloseTo(3.0 + dw / 2, within(1e-3));
    }

    @Test
    void shouldNotLockWhenTheFrequencyGapExceedsTheCoupling() {
        Kuramoto net = new Kuramoto(2, 1.0);
        net.setNaturalFrequency(0, 2.0);
        net.setNaturalFrequency(1, 0.0);
        for (int i = 0; i < 40000; i++) {
            net.step(0.001);
        }
        assertThat(net.locked(0, 1, 0.05)).isFalse();
        // drifting pair: the mean beat frequency is sqrt(Δω² − K²) = sqrt(3)
        assertThat(Math.abs(net.effectiveFrequency(0) - net.effectiveFrequency(1))).isGreaterThan(0.5);
    }

    @Test
    void shouldKeepTheOrderParameterWithinZeroAndOne() {
        SplittableRandom r = new SplittableRandom(42);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + r.nextInt(20);
            Kuramoto net = new Kuramoto(n, r.nextDouble() * 5);
            for (int i = 0; i < n; i++) {
                net.setNaturalFrequency(i, r.nextDouble() * 4 - 2);
                net.setPhase(i, r.nextDouble() * 2 * Math.PI);
            }
            for (int s = 0; s < 200; s++) {
                net.step(0.01);
                assertThat(net.orderParameter()).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void shouldSynchroniseAStronglyCoupledPopulationAndNotAnUncoupledOne() {
        SplittableRandom r = new SplittableRandom(1);
        Kuramoto strong = new Kuramoto(50, 4.0);
        Kuramoto none = new Kuramoto(50, 0.0);
        for (int i = 0; i < 50; i++) {
            double w = r.nextDouble() - 0.5;
            double p = r.nextDouble() * 2 * Math.PI;
            strong.setNaturalFrequency(i, w);
            none.setNaturalFrequency(i, w);
            strong.setPhase(i, p);
            none.setPhase(i, p);
        }
        for (int s = 0; s < 2000; s++) {
            strong.step(0.01);
            none.step(0.01);
        }
        assertThat(strong.orderParameter()).isGreaterThan(0.95);
        assertThat(none.orderParameter()).isLessThan(0.5);
    }
}
