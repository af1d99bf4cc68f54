package io.chronofabric.clogic.drpp.internal.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BocpdTest {

    @Test
    void shouldComputeLogGammaAccurately() {
        assertThat(Bocpd.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-13));
        assertThat(Bocpd.logGamma(5)).isCloseTo(Math.log(24), within(1e-13));
        assertThat(Bocpd.logGamma(100.5)).isCloseTo(361.4355404677776, within(1e-9));
    }

    @Test
    void shouldSplitTheFirstStepByTheHazardAndKeepADistribution() {
        Bocpd b = new Bocpd(100, 64, 4, 0.5, 2);
        b.update(0.3);
        assertThat(b.runLengthProbability(0)).isCloseTo(0.01, within(1e-12));
        assertThat(b.runLengthProbability(1)).isCloseTo(0.99, within(1e-12));
        SplittableRandom r = new SplittableRandom(1);
        for (int t = 0; t < 500; t++) {
            b.update(KsgTransferEntropy.gaussian(r));
            double sum = 0;
            for (int k = 0; k <= 64; k++) {
                sum += b.runLengthProbability(k);
            }
            assertThat(sum).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void shouldWeighRunsByTheStudentTPredictive() {
        // after one observation z1, run 1 has mu = z1/2, kappa = 2, alpha = 1.5, beta = 1 + z1^2/4
        Bocpd b = new Bocpd(10, 64, 4, 0.5, 2);
        double z1 = 1.0, z2 = -0.5;
        b.update(z1);
        b.update(z2);
        double h = 0.1;
        double p0 = h, p1 = 1 - h;
        double f0 = studentT(z2, 2, 0, 2);                           // prior predictive
        double f1 = studentT(z2, 3, 0.5, (1 + 0.25) * 3 / (1.5 * 2)); // after z1
        double r0 = (p0 * f0 + p1 * f1) * h, r1 = p0 * f0 * (1 - h), r2 = p1 * f1 * (1 - h);
        double tot = r0 + r1 + r2;
        assertThat(b.runLengthProbability(0)).isCloseTo(r0 / tot, within(1e-12));
        assertThat(b.runLengthProbability(1)).isCloseTo(r1 / tot, within(1e-12));
        assertThat(b.runLengthProbability(2)).isCloseTo(r2 / tot, within(1e-12));
    }

    static double studentT(double x, double nu, double mu, double scale2) {
        double lg = Bocpd.logGamma((nu + 1) / 2) - Bocpd.logGamma(nu / 2);
        return Math.exp(lg - 0.5 * Math.log(Math.PI * nu * scale2) - (nu + 1) / 2 * Math.log1p((x - mu) * (x - mu) / (nu * scale2)));
    }

    @Test
    void shouldReportAMeanShiftSoonAfterItAndNothingBefore() {
        SplittableRandom r = new SplittableRandom(6);
        Bocpd b = new Bocpd(250, 256, 5, 0.5, 100);
        int first = -1;
        for (int t = 0; t < 1000; t++) {
            double x = 10 + 2 * KsgTransferEntropy.gaussian(r) + (t >= 600 ? 6 : 0);
            if (b.add(x) && first < 0) {
                first = t;
            }
        }
        assertThat(first).isBetween(600, 615);
        assertThat(b.mostProbableRun()).as("in a long run again after the change").isGreaterThan(100);
    }

    @Test
    void shouldRaiseFewFalseAlarmsOnStationaryNoise() {
        SplittableRandom r = new SplittableRandom(7);
        Bocpd b = new Bocpd(1000, 256, 5, 0.8, 100);
        int alarms = 0;
        for (int t = 0; t < 20000; t++) {
            alarms += b.add(KsgTransferEntropy.gaussian(r)) ? 1 : 0;
        }
        assertThat(alarms).isLessThanOrEqualTo(3);
    }

    @Test
    void shouldRefuseBadParameters() {
        assertThatThrownBy(() -> new Bocpd(1, 64, 4, 0.5, 10)).hasMessageContaining("lambda");
        assertThatThrownBy(() -> new Bocpd(10, 4, 1, 0.5, 10)).hasMessageContaining("max run");
        assertThatThrownBy(() -> new Bocpd(10, 64, 40, 0.5, 10)).hasMessageContaining("lag");
        assertThatThrownBy(() -> new Bocpd(10, 64, 4, 1.0, 10)).hasMessageContaining("threshold");
    }
}
