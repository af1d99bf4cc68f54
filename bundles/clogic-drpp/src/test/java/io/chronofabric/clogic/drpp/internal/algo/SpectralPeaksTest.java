package io.chronofabric.clogic.drpp.internal.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpectralPeaksTest {

    @Test
    void shouldAgreeWithANaiveDft() {
        int n = 128;
        Fft fft = new Fft(n);
        SplittableRandom r = new SplittableRandom(3);
        double[] re = new double[n], im = new double[n], x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() - 0.5;
            re[i] = x[i];
        }
        fft.forward(re, im);
        for (int k = 0; k < n; k++) {
            double a = 0, b = 0;
            for (int t = 0; t < n; t++) {
                a += x[t] * Math.cos(2 * Math.PI * k * t / n);
                b -= x[t] * Math.sin(2 * Math.PI * k * t / n);
            }
            assertThat(re[k]).isCloseTo(a, within(1e-9));
            assertThat(im[k]).isCloseTo(b, within(1e-9));
        }
    }

    @Test
    void shouldFindTwoTonesWithTheirFrequenciesAndTheStrongerFirst() {
        double fs = 1000;
        SpectralPeaks peaks = new SpectralPeaks(1024, fs, 4);
        SplittableRandom r = new SplittableRandom(11);
        for (int t = 0; t < 3000; t++) {
            peaks.add(2 * Math.sin(2 * Math.PI * 50 * t / fs) + Math.sin(2 * Math.PI * 180.3 * t / fs)
                    + 0.1 * (r.nextDouble() - 0.5));
        }
        assertThat(peaks.full()).isTrue();
        int found = peaks.analyse(100);
        assertThat(found).isEqualTo(2);
        assertThat(peaks.peakFrequency(0)).isCloseTo(50, within(0.3));
        assertThat(peaks.peakFrequency(1)).isCloseTo(180.3, within(0.3));
        assertThat(peaks.peakPower(0)).isGreaterThan(3 * peaks.peakPower(1));
        assertThat(peaks.peakSnr(0)).isGreaterThan(1e3);
    }

    @Test
    void shouldFindNoPeakAboveTheThresholdInWhiteNoise() {
        SpectralPeaks peaks = new SpectralPeaks(512, 1, 4);
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 512; t++) {
            peaks.add(r.nextDouble());
        }
        assertThat(peaks.analyse(50)).isZero();
    }

    @Test
    void shouldRefuseSizesThatAreNotPowersOfTwo() {
        assertThatThrownBy(() -> new SpectralPeaks(1000, 1, 1)).hasMessageContaining("power of two").hasMessageContaining("1000");
    }
}
