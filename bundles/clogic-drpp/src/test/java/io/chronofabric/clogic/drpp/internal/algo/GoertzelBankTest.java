package io.chronofabric.clogic.drpp.internal.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GoertzelBankTest {

    @Test
    void shouldGivePower1024AtBin8AndNothingAtBin9ForAUnitCosineOnBin8() {
        GoertzelBank bank = new GoertzelBank(new double[] {8.0 / 64, 9.0 / 64}, 1.0, 64);
        boolean done = false;
        for (int n = 0; n < 64; n++) {
            done = bank.add(Math.cos(2 * Math.PI * 8 * n / 64));
        }
        assertThat(done).isTrue();
        assertThat(bank.power(0)).isCloseTo(1024.0, within(1e-9));
        assertThat(bank.power(1)).isCloseTo(0.0, within(1e-9));
        assertThat(bank.strongest()).isEqualTo(0);
        assertThat(bank.snr(0)).isGreaterThan(1e6);
    }

    @Test
    void shouldMatchANaiveDftInPowerAndPhaseAtArbitraryFrequencies() {
        double fs = 1000;
        double[] freqs = {50, 123.4, 250};
        GoertzelBank bank = new GoertzelBank(freqs, fs, 200);
        double[] x = new double[200];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int n = 0; n < x.length; n++) {
            x[n] = Math.sin(2 * Math.PI * 50 * n / fs + 0.3) + 0.5 * r.nextDouble();
            bank.add(x[n]);
        }
        for (int i = 0; i < freqs.length; i++) {
            double re = 0, im = 0;
            for (int n = 0; n < x.length; n++) {
                double w = 2 * Math.PI * freqs[i] / fs * n;
                re += x[n] * Math.cos(w);
                im -= x[n] * Math.sin(w);
            }
            assertThat(bank.power(i)).as("power at %s", freqs[i]).isCloseTo(re * re + im * im, within(1e-6));
            double phase = Math.atan2(im, re);
            assertThat(Math.cos(bank.phase(i) - phase)).as("phase at %s", freqs[i]).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void shouldStartAFreshBlockAfterEachCompletedOne() {
        GoertzelBank bank = new GoertzelBank(new double[] {0.125}, 1.0, 64);
        for (int n = 0; n < 64; n++) {
            bank.add(Math.cos(2 * Math.PI * 8 * n / 64));
        }
        for (int n = 0; n < 64; n++) {
            bank.add(0.0);
        }
        assertThat(bank.blocks()).isEqualTo(2);
        assertThat(bank.power(0)).isZero();
    }

    @Test
    void shouldRefuseFrequenciesAboveNyquistAndTinyBlocks() {
        assertThatThrownBy(() -> new GoertzelBank(new double[] {600}, 1000, 64))
                .hasMessageContaining("600").hasMessageContaining("sampleRate/2");
        assertThatThrownBy(() -> new GoertzelBank(new double[] {1}, 1000, 1)).hasMessageContaining("block size");
        assertThatThrownBy(() -> new GoertzelBank(new double[] {1}, Double.NaN, 64)).hasMessageContaining("sample rate");
    }
}
