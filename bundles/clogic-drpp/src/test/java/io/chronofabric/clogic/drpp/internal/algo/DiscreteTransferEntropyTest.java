package io.chronofabric.clogic.drpp.internal.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiscreteTransferEntropyTest {

    /** Plug-in TE by explicit probability tables, the textbook formula, for cross-checking. */
    static double bruteForce(int[] x, int[] y, int bins, int k, int l) {
        java.util.Map<String, Integer> hsf = new java.util.HashMap<>(), hs = new java.util.HashMap<>(),
                hf = new java.util.HashMap<>(), h = new java.util.HashMap<>();
        int n = 0;
        for (int t = Math.max(k, l); t < x.length; t++) {
            StringBuilder hist = new StringBuilder(), src = new StringBuilder();
            for (int i = t - k; i < t; i++) {
                hist.append(y[i]).append(',');
            }
            for (int i = t - l; i < t; i++) {
                src.append(x[i]).append(',');
            }
            String f = Integer.toString(y[t]);
            hsf.merge(hist + "|" + src + "|" + f, 1, Integer::sum);
            hs.merge(hist + "|" + src, 1, Integer::sum);
            hf.merge(hist + "|" + f, 1, Integer::sum);
            h.merge(hist.toString(), 1, Integer::sum);
            n++;
        }
        double te = 0;
        for (var e : hsf.entrySet()) {
            String[] p = e.getKey().split("\\|", -1);
            double pJoint = e.getValue() / (double) n;
            double pCondFull = e.getValue() / (double) hs.get(p[0] + "|" + p[1]);
            double pCondHist = hf.get(p[0] + "|" + p[2]) / (double) h.get(p[0]);
            te += pJoint * Math.log(pCondFull / pCondHist) / Math.log(2);
        }
        return te;
    }

    @Test
    void shouldGiveTwoThirdsOfABitForInformsShortSeries() {
        int[] source = {1, 1, 0, 0, 1};
        int[] target = {1, 1, 1, 0, 0};
        double te = DiscreteTransferEntropy.compute(source, target, 2, 2, 1);
        assertThat(te).isCloseTo(0.666666, within(1e-6));
        assertThat(te).isCloseTo(2.0 / 3.0, within(1e-12));
        // and the reverse direction carries nothing: every history is seen once
        assertThat(DiscreteTransferEntropy.compute(target, source, 2, 2, 1)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void shouldGiveOneBitForTheTargetCopyingAPeriodFourSource() {
        int n = 4000;
        int[] x = new int[n], y = new int[n];
        for (int t = 0; t < n; t++) {
            x[t] = (t % 4) < 2 ? 0 : 1; // 0,0,1,1,0,0,1,1,...
            y[t] = t == 0 ? 1 : x[t - 1]; // y_0 = x_{-1} of the same pattern
        }
        double te = DiscreteTransferEntropy.compute(x, y, 2, 1, 1);
        assertThat(te).isCloseTo(1.0, within(1e-3));
        // a target history of two already predicts the pattern: nothing left to transfer
        assertThat(DiscreteTransferEntropy.compute(x, y, 2, 2, 1)).isCloseTo(0.0, within(1e-3));
    }

    @Test
    void shouldMatchTheTextbookFormulaForRandomSeriesAndParameters() {
        SplittableRandom r = new SplittableRandom(9);
        for (int trial = 0; trial < 30; trial++) {
            int bins = 2 + r.nextInt(3), k = 1 + r.nextInt(3), l = 1 + r.nextInt(3);
            int n = 20 + r.nextInt(300);
            int[] x = new int[n], y = new int[n];
            for (int t = 0; t < n; t++) {
                x[t] = r.nextInt(bins);
                y[t] = t > 0 && r.nextBoolean() ? x[t - 1] : r.nextInt(bins);
            }
            double te = DiscreteTransferEntropy.compute(x, y, bins, k, l);
            assertThat(te).as("bins %d k %d l %d n %d", bins, k, l, n).isCloseTo(bruteForce(x, y, bins, k, l), within(1e-9));
            assertThat(te).isGreaterThanOrEqualTo(0.0);
        }
    }

    @Test
    void shouldForgetObservationsThatLeaveTheSlidingWindow() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 3000, window = 500;
        int[] x = new int[n], y = new int[n];
        DiscreteTransferEntropy sliding = new DiscreteTransferEntropy(2, 1, 1, window);
        for (int t = 0; t < n; t++) {
            x[t] = r.nextInt(2);
            // coupled in the first half, independent in the second
            y[t] = t > 0 && t < n / 2 ? x[t - 1] : r.nextInt(2);
            sliding.add(x[t], y[t]);
        }
        int[] xs = java.util.Arrays.copyOfRange(x, n - window - 1, n);
        int[] ys = java.util.Arrays.copyOfRange(y, n - window - 1, n);
        assertThat(sliding.observations()).isEqualTo(window);
        assertThat(sliding.value()).isCloseTo(DiscreteTransferEntropy.compute(xs, ys, 2, 1, 1), within(1e-9));
        assertThat(sliding.value()).isLessThan(0.05);
    }

    @Test
    void shouldBeNearZeroForIndependentStreamsAndNeverNegative() {
        SplittableRandom r = new SplittableRandom(21);
        for (int trial = 0; trial < 10; trial++) {
            int n = 20000;
            DiscreteTransferEntropy te = new DiscreteTransferEntropy(3, 2, 1, 0);
            for (int t = 0; t < n; t++) {
                te.add(r.nextInt(3), r.nextInt(3));
                assertThat(te.value()).isGreaterThanOrEqualTo(0.0);
            }
            // plug-in bias is about (states) / (2 N ln 2): 27*2*... well under 0.01 bit here
            assertThat(te.value()).isLessThan(0.01);
        }
    }

    @Test
    void shouldRefuseOutOfRangeParametersAndSymbolsNamingThem() {
        assertThatThrownBy(() -> new DiscreteTransferEntropy(2, 0, 1, 0)).hasMessageContaining("target history k");
        assertThatThrownBy(() -> new DiscreteTransferEntropy(2, 1, 17, 0)).hasMessageContaining("source history l");
        assertThatThrownBy(() -> new DiscreteTransferEntropy(1, 1, 1, 0)).hasMessageContaining("bins");
        assertThatThrownBy(() -> new DiscreteTransferEntropy(16, 8, 8, 0)).hasMessageContaining("states");
        DiscreteTransferEntropy te = new DiscreteTransferEntropy(2, 1, 1, 0);
        assertThatThrownBy(() -> te.add(2, 0)).hasMessageContaining("source 2");
        assertThatThrownBy(() -> DiscreteTransferEntropy.compute(new int[3], new int[4], 2, 1, 1)).hasMessageContaining("same length");
    }

    @Test
    void shouldDiscretiseRealValuesIntoEqualWidthBinsAndKeepSymbols() {
        assertThat(DiscreteTransferEntropy.discretise(new double[] {0, 1, 1, 0}, 2)).containsExactly(0, 1, 1, 0);
        assertThat(DiscreteTransferEntropy.discretise(new double[] {0.0, 0.49, 0.51, 1.0}, 2)).containsExactly(0, 0, 1, 1);
        assertThatThrownBy(() -> DiscreteTransferEntropy.discretise(new double[] {1, Double.NaN}, 2)).hasMessageContaining("NaN");
    }
}
