package io.chronofabric.quantum.statevector.internal;

import static io.chronofabric.quantum.statevector.internal.QuantumTestSupport.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.quantum.AmplitudeEncoding;
import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.QuantumResult;
import io.chronofabric.api.quantum.Readout;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeasurementAndEncodingTest {

    @Test
    void shouldGiveTheSameCountsForTheSameSeedAndOthersForAnother() {
        Circuit c = measured(QuantumTestSupport.random(6, 80, 3));
        StateVectorSimulator sim = simulator();
        QuantumResult a = sim.run(c, 5000, 1234, false);
        QuantumResult b = sim.run(c, 5000, 1234, false);
        QuantumResult other = sim.run(c, 5000, 4321, false);
        assertThat(a.counts()).isEqualTo(b.counts());
        assertThat(a.seed()).isEqualTo(1234);
        assertThat(other.counts()).isNotEqualTo(a.counts());
        assertThat(a.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5000);
    }

    private static Circuit measured(Circuit c) {
        Circuit.Builder b = Circuit.builder(c.qubits());
        c.operations().forEach(op -> b.gate(op.gate(), op.parameters(), op.qubits()));
        return b.measureAll().build();
    }

    @Test
    void shouldSampleCountsThatFollowTheProbabilities() {
        // ry(theta) on qubit 0: P(1) = sin^2(theta/2) = 0.2 ; qubit 1 in |1>
        double theta = 2 * Math.asin(Math.sqrt(0.2));
        Circuit c = Circuit.builder(2).ry(theta, 0).x(1).measureAll().build();
        QuantumResult r = simulator().run(c, 200_000, 9, false);
        assertThat(r.counts()).containsOnlyKeys("10", "11");
        // sd = sqrt(0.16 / 200000) = 0.00089: 6 sd
        assertThat(r.counts().get("11") / 200_000.0).isCloseTo(0.2, within(0.0054));
    }

    @Test
    void shouldWriteOutcomesMostSignificantBitFirstAndOnlyTheMeasuredBits() {
        // qubit 0 = 1, qubit 1 = 0, qubit 2 = 1; measure qubit 0 into c[1] and qubit 2 into c[0] of a 3-bit register
        Circuit c = Circuit.builder(3, 3).x(0).x(2).measure(0, 1).measure(2, 0).build();
        assertThat(simulator().run(c, 10, 1, false).counts()).isEqualTo(Map.of("011", 10L));
        // nothing measured: every qubit, qubit 0 last
        assertThat(simulator().run(Circuit.builder(3).x(0).build(), 4, 1, false).counts()).isEqualTo(Map.of("001", 4L));
        assertThat(simulator().run(Circuit.builder(3).x(0).build(), 0, 1, false).counts()).isEmpty();
    }

    @Test
    void shouldEncodeAClassicalVectorNormalisedAndPaddedAndDecodeItBack() {
        StateVectorSimulator sim = simulator();
        double[] x = {3, -4, 12, 0, 1e-3};
        AmplitudeEncoding e = sim.classicalToQuantum(x);
        double norm = Math.sqrt(9 + 16 + 144 + 1e-6);
        assertThat(e.qubits()).isEqualTo(3);
        assertThat(e.length()).isEqualTo(5);
        assertThat(e.norm()).isCloseTo(norm, within(1e-12));
        assertThat(e.amplitudes()).hasSize(8);
        assertThat(e.amplitudes()[2]).isCloseTo(12 / norm, within(1e-15));
        assertThat(e.amplitudes()[7]).isZero();
        // through the identity circuit and back
        QuantumResult r = sim.run(Circuit.builder(3).barrier().build(), e, 0, 0, true);
        double[] back = e.decode(sim.quantumToClassical(r, Readout.REAL_AMPLITUDES));
        for (int i = 0; i < x.length; i++) {
            assertThat(back[i]).isCloseTo(x[i], within(1e-12));
        }
        double[] p = sim.quantumToClassical(r, Readout.PROBABILITIES);
        assertThat(p[1]).isCloseTo(16 / (norm * norm), within(1e-15));
        double[] complex = sim.quantumToClassical(r, Readout.COMPLEX_AMPLITUDES);
        assertThat(complex).hasSize(16);
        assertThat(complex[4]).isCloseTo(12 / norm, within(1e-15));
        // one value still takes one qubit; huge values neither overflow nor underflow the norm
        assertThat(sim.classicalToQuantum(new double[] {-2}).qubits()).isEqualTo(1);
        assertThat(sim.classicalToQuantum(new double[] {1e300, 1e300}).norm()).isCloseTo(Math.sqrt(2) * 1e300, within(1e287));
    }

    @Test
    void shouldApplyGatesToAnEncodedState() {
        StateVectorSimulator sim = simulator();
        AmplitudeEncoding e = sim.classicalToQuantum(new double[] {1, 1});
        // H maps (|0> + |1>)/sqrt2 to |0>
        QuantumResult r = sim.run(Circuit.builder(1).h(0).build(), e, 100, 1, true);
        assertThat(r.probability(0)).isCloseTo(1, within(1e-15));
        assertThat(r.counts()).isEqualTo(Map.of("0", 100L));
    }
}
