package io.chronofabric.clogic.drpp.internal.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KsgTransferEntropyTest {

    static final double ANALYTIC = -0.5 * Math.log(1 - 0.16 / 0.52); // 0.18386 nats

    static double[][] linearGaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n], y = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = KsgTransferEntropy.gaussian(r);
            y[t] = (t > 0 ? 0.4 * x[t - 1] : 0) + 0.6 * KsgTransferEntropy.gaussian(r);
        }
        return new double[][] {x, y};
    }

    @Test
    void shouldApproachTheAnalyticValueForALinearGaussianPairAsNGrows() {
        assertThat(ANALYTIC).isCloseTo(0.18386, within(1e-5));
        KsgTransferEntropy ksg = new KsgTransferEntropy(1, 1, 4);
        int[] sizes = {1000, 10000, 100000};
        double[] tolerance = {0.05, 0.02, 0.008};
        for (int i = 0; i < sizes.length; i++) {
            double[][] xy = linearGaussian(sizes[i], 17 + i);
            double te = ksg.compute(xy[0], xy[1], 0, 1).value();
            assertThat(te).as("N = %d", sizes[i]).isCloseTo(ANALYTIC, within(tolerance[i]));
        }
    }

    @Test
    void shouldBeNearZeroWithAHighPValueForIndependentStreamsAndSignificantForCoupledOnes() {
        KsgTransferEntropy ksg = new KsgTransferEntropy(1, 1, 4);
        SplittableRandom r = new SplittableRandom(5);
        double[] a = new double[2000], b = new double[2000];
        for (int t = 0; t < a.length; t++) {
            a[t] = KsgTransferEntropy.gaussian(r);
            b[t] = KsgTransferEntropy.gaussian(r);
        }
        KsgTransferEntropy.Result independent = ksg.compute(a, b, 19, 3);
        assertThat(independent.value()).isCloseTo(0.0, within(0.03));
        assertThat(independent.pValue()).isGreaterThan(0.05);
        double[][] xy = linearGaussian(2000, 8);
        KsgTransferEntropy.Result coupled = ksg.compute(xy[0], xy[1], 19, 3);
        assertThat(coupled.pValue()).isEqualTo(1.0 / 20);
        // the reverse direction: y does not drive x
        assertThat(ksg.compute(xy[1], xy[0], 0, 3).value()).isCloseTo(0.0, within(0.03));
    }

    @Test
    void shouldBeNonNegativeUpToEstimatorBiasOnRandomPairs() {
        SplittableRandom r = new SplittableRandom(77);
        for (int trial = 0; trial < 10; trial++) {
            int n = 300 + r.nextInt(700);
            double c = r.nextDouble();
            double[] x = new double[n], y = new double[n];
            for (int t = 0; t < n; t++) {
                x[t] = KsgTransferEntropy.gaussian(r);
                y[t] = (t > 0 ? c * x[t - 1] : 0) + KsgTransferEntropy.gaussian(r);
            }
            KsgTransferEntropy ksg = new KsgTransferEntropy(1 + r.nextInt(2), 1 + r.nextInt(2), 4);
            assertThat(ksg.compute(x, y, 0, trial).value()).isGreaterThan(-0.05);
        }
    }

    @Test
    void shouldUseIntegerDigammaValues() {
        double[] psi = KsgTransferEntropy.digammaTable(10);
        assertThat(psi[1]).isCloseTo(-0.5772156649, within(1e-10));
        assertThat(psi[4]).isCloseTo(1.2561176684, within(1e-9));
    }

    @Test
    void shouldRefuseTooFewSamplesAndBadParameters() {
        KsgTransferEntropy ksg = new KsgTransferEntropy(1, 1, 4);
        assertThatThrownBy(() -> ksg.compute(new double[5], new double[5], 0, 1)).hasMessageContaining("needs more than");
        assertThatThrownBy(() -> new KsgTransferEntropy(0, 1, 4)).hasMessageContaining("target history k");
        assertThatThrownBy(() -> new KsgTransferEntropy(1, 1, 0)).hasMessageContaining("neighbours");
        double[] bad = new double[20];
        bad[3] = Double.NaN;
        assertThatThrownBy(() -> ksg.compute(bad, new double[20], 0, 1)).hasMessageContaining("source value 3");
    }
}
