package io.chronofabric.quantum.statevector.internal;

import static io.chronofabric.quantum.statevector.internal.QuantumTestSupport.cp;
import static io.chronofabric.quantum.statevector.internal.QuantumTestSupport.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.QuantumResult;
import org.junit.jupiter.api.Test;

/** States every textbook derives by hand: Bell, GHZ, the QFT of a basis state, Grover on 3 qubits. */
class TextbookStatesTest {

    private static final double R = Math.sqrt(0.5);

    @Test
    void shouldPrepareTheBellState() {
        QuantumResult r = simulator().run(Circuit.builder(2).h(0).cnot(0, 1).measureAll().build(), 10_000, 7, true);
        QuantumTestSupport.assertState(r.stateReal(), r.stateImag(), new double[] {R, 0, 0, R}, new double[4], 1e-15);
        assertThat(r.counts()).containsOnlyKeys("00", "11");
        // binomial(10000, 0.5): sd 50, 5 sd = 250
        assertThat(r.counts().get("00")).isBetween(4_750L, 5_250L);
        assertThat(r.counts().get("00") + r.counts().get("11")).isEqualTo(10_000L);
    }

    @Test
    void shouldPrepareGhzStatesOfThreeAndTwelveQubits() {
        for (int n : new int[] {3, 12}) {
            Circuit.Builder b = Circuit.builder(n).h(0);
            for (int q = 1; q < n; q++) {
                b.cnot(q - 1, q);
            }
            QuantumResult r = simulator().run(b.measureAll().build(), 4_000, 11, true);
            int all = (1 << n) - 1;
            for (int i = 0; i <= all; i++) {
                double want = i == 0 || i == all ? R : 0;
                assertThat(r.stateReal()[i]).as("n=%d re[%d]", n, i).isCloseTo(want, within(1e-14));
                assertThat(r.stateImag()[i]).isCloseTo(0, within(1e-14));
            }
            assertThat(r.counts()).containsOnlyKeys("0".repeat(n), "1".repeat(n));
        }
    }

    /** QFT|x> = 2^{-n/2} sum_k e^{2 pi i x k / 2^n} |k> (Nielsen and Chuang, eq. 5.2). */
    @Test
    void shouldTransformABasisStateIntoUniformMagnitudesWithTheRightPhases() {
        int n = 5;
        int size = 1 << n;
        for (int x : new int[] {0, 1, 5, 19, 31}) {
            Circuit.Builder b = Circuit.builder(n);
            for (int q = 0; q < n; q++) {
                if (((x >> q) & 1) == 1) {
                    b.x(q);
                }
            }
            qft(b, n);
            QuantumResult r = simulator().run(b.build(), 0, 0, true);
            for (int k = 0; k < size; k++) {
                double angle = 2 * Math.PI * x * k / size;
                assertThat(r.stateReal()[k]).as("x=%d re[%d]", x, k).isCloseTo(Math.cos(angle) / Math.sqrt(size), within(1e-12));
                assertThat(r.stateImag()[k]).as("x=%d im[%d]", x, k).isCloseTo(Math.sin(angle) / Math.sqrt(size), within(1e-12));
            }
        }
    }

    /** Qubit n-1 most significant: H, then controlled phases from the lower qubits, then reverse the order. */
    static void qft(Circuit.Builder b, int n) {
        for (int i = n - 1; i >= 0; i--) {
            b.h(i);
            for (int j = i - 1; j >= 0; j--) {
                cp(b, Math.PI / (1 << (i - j)), j, i);
            }
        }
        for (int i = 0; i < n / 2; i++) {
            b.swap(i, n - 1 - i);
        }
    }

    /** Two Grover iterations on 3 qubits find the marked item with probability sin^2(5 asin(1/sqrt 8)) = 0.9453. */
    @Test
    void shouldFindTheMarkedItemWithGroversProbability() {
        int marked = 0b101;
        Circuit.Builder b = Circuit.builder(3);
        for (int q = 0; q < 3; q++) {
            b.h(q);
        }
        for (int it = 0; it < 2; it++) {
            // oracle: flip the phase of |101>
            flipZeros(b, marked);
            ccz(b);
            flipZeros(b, marked);
            // diffusion: 2|s><s| - 1
            for (int q = 0; q < 3; q++) {
                b.h(q).x(q);
            }
            ccz(b);
            for (int q = 0; q < 3; q++) {
                b.x(q).h(q);
            }
        }
        QuantumResult r = simulator().run(b.measureAll().build(), 100_000, 3, true);
        double theta = Math.asin(1 / Math.sqrt(8));
        double expected = Math.pow(Math.sin(5 * theta), 2);
        assertThat(expected).isCloseTo(0.9453, within(1e-4));
        assertThat(r.probability(marked)).isCloseTo(expected, within(1e-12));
        // 100000 shots: sd = sqrt(p(1-p)/N) = 0.00072; 6 sd
        assertThat(r.counts().get("101") / 100_000.0).isCloseTo(expected, within(0.0045));
    }

    private static void flipZeros(Circuit.Builder b, int marked) {
        for (int q = 0; q < 3; q++) {
            if (((marked >> q) & 1) == 0) {
                b.x(q);
            }
        }
    }

    private static void ccz(Circuit.Builder b) {
        b.h(2).toffoli(0, 1, 2).h(2);
    }
}
