package io.chronofabric.quantum.statevector.internal;

import static io.chronofabric.quantum.statevector.internal.QuantumTestSupport.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.Gate;
import io.chronofabric.api.quantum.QasmSyntaxException;
import io.chronofabric.api.quantum.QuantumResult;
import io.chronofabric.api.quantum.Readout;
import org.junit.jupiter.api.Test;

/** Each bad input gets an error that names it. */
class BadInputTest {

    @Test
    void shouldNameAnUnknownGate() {
        assertThatThrownBy(() -> Circuit.builder(2).h(0).gate("hadamard", new double[0], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Operation 1").hasMessageContaining("Unknown gate 'hadamard'")
                .hasMessageContaining("known gates: h x y");
        assertThat(Gate.byName("cx")).isEqualTo(Gate.CNOT);
    }

    @Test
    void shouldNameAQubitOutOfRangeAndTheRange() {
        assertThatThrownBy(() -> Circuit.builder(3).h(0).cnot(0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Operation 1 (cnot): qubit 3 is out of range 0..2");
        assertThatThrownBy(() -> Circuit.builder(3).x(-1)).hasMessageContaining("qubit -1 is out of range 0..2");
        assertThatThrownBy(() -> Circuit.builder(3).cnot(1, 1)).hasMessageContaining("qubit 1 is named twice");
        assertThatThrownBy(() -> Circuit.builder(3).measure(0, 3)).hasMessageContaining("classical bit 3 is out of range 0..2");
    }

    @Test
    void shouldRefuseBadParametersAndGatesAfterMeasurement() {
        assertThatThrownBy(() -> Circuit.builder(1).rz(Double.NaN, 0)).hasMessageContaining("parameter 0 is NaN");
        assertThatThrownBy(() -> Circuit.builder(1).gate(Gate.RZ, new double[0], 0)).hasMessageContaining("takes 1 parameter(s), got 0");
        assertThatThrownBy(() -> Circuit.builder(2).gate(Gate.CNOT, 0)).hasMessageContaining("acts on 2 qubit(s), got 1");
        assertThatThrownBy(() -> Circuit.builder(2).measure(0, 0).h(0)).hasMessageContaining("qubit 0 was measured at operation 0")
                .hasMessageContaining("measurements are terminal");
        assertThatThrownBy(() -> Circuit.builder(0)).hasMessageContaining("1..1024 qubits, not 0");
    }

    @Test
    void shouldNameTheMemoryACircuitWiderThanTheLimitNeeds() {
        StateVectorSimulator sim = QuantumTestSupport.simulator(Engine.Options.defaults().withThreads(1).withMaxQubits(20));
        assertThat(sim.maxQubits()).isLessThanOrEqualTo(20);
        assertThatThrownBy(() -> sim.run(Circuit.builder(21).h(0).build(), 0, 0, false)).isInstanceOf(ResourceExhaustedException.class)
                .hasMessageContaining("21 qubits need 2^21 amplitudes x 16 bytes = 32 MiB")
                .hasMessageContaining("max.qubits = 20");
        assertThatThrownBy(() -> simulator().run(Circuit.builder(40).h(0).build(), 0, 0, false))
                .hasMessageContaining("40 qubits need 2^40 amplitudes x 16 bytes = 16 TiB").hasMessageContaining("at most 30 qubits");
        StateVectorSimulator small = QuantumTestSupport.simulator(new Engine.Options(28, 1L << 20, 1, 16, true, 100));
        assertThat(small.maxQubits()).isEqualTo(16);
        assertThatThrownBy(() -> small.run(Circuit.builder(17).build(), 0, 0, false)).hasMessageContaining("max.memory.mb = 1 (at most 16 qubits)");
        assertThatThrownBy(() -> small.run(Circuit.builder(2).build(), 101, 0, false)).hasMessageContaining("shots 101 is out of range 0..100");
        double[] wide = new double[(1 << 17) + 1];
        java.util.Arrays.fill(wide, 1);
        assertThatThrownBy(() -> small.classicalToQuantum(wide)).hasMessageContaining("18 qubits need");
    }

    @Test
    void shouldRefuseAnEncodingOfZeroNormOrNonFiniteValues() {
        assertThatThrownBy(() -> simulator().classicalToQuantum(new double[] {0, 0, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("norm 0");
        assertThatThrownBy(() -> simulator().classicalToQuantum(new double[] {1, Double.POSITIVE_INFINITY}))
                .hasMessageContaining("value 1 is Infinity");
        assertThatThrownBy(() -> simulator().classicalToQuantum(new double[0])).hasMessageContaining("empty");
    }

    @Test
    void shouldSayWhenAResultCarriesNoState() {
        QuantumResult r = simulator().run(Circuit.builder(1).h(0).build(), 1, 0, false);
        assertThatThrownBy(() -> simulator().quantumToClassical(r, Readout.PROBABILITIES)).hasMessageContaining("no state vector");
        assertThatThrownBy(r::stateReal).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldNameLineAndColumnOfQasmThatDoesNotParse() {
        StateVectorSimulator sim = simulator();
        String head = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n";
        assertQasm(sim, head + "hh q[0];\n", 5, 1, "unknown gate 'hh'");
        assertQasm(sim, head + "h q[2];\n", 5, 5, "qubit q[2] is out of range: qreg q has 2 qubit(s) (0..1)");
        assertQasm(sim, head + "cx q[0] q[1];\n", 5, 9, "expected ';' but found 'q'");
        assertQasm(sim, head + "rx(pi/) q[0];\n", 5, 7, "expected a number, pi, a parameter or '(' but found ')'");
        assertQasm(sim, head + "measure q -> d;\n", 5, 14, "unknown register 'd'");
        assertQasm(sim, head + "rz q[0];\n", 5, 1, "gate 'rz' takes 1 parameter(s), got 0");
        assertQasm(sim, head + "cx q[0], q[0];\n", 5, 1, "gate 'cx' names the same qubit twice");
        assertQasm(sim, head + "measure q[0] -> c[0];\nh q[0];\n", 6, 1, "qubit 0 was measured");
        assertQasm(sim, head + "reset q[0];\n", 5, 1, "reset is not supported");
        assertQasm(sim, "OPENQASM 3.0;\n", 1, 10, "OpenQASM 3.0 is not supported");
        assertQasm(sim, "qreg q[1];\n", 1, 1, "expected the header 'OPENQASM 2.0;'");
        assertQasm(sim, "OPENQASM 2.0;\ninclude \"other.inc\";\n", 2, 9, "only qelib1.inc is built in");
        assertQasm(sim, "OPENQASM 2.0;\ncreg c[1];\n", 3, 1, "declares no qreg");
        assertQasm(sim, head + "h q[0]; @\n", 5, 9, "unexpected character '@'");
    }

    private static void assertQasm(StateVectorSimulator sim, String src, int line, int col, String message) {
        assertThatThrownBy(() -> sim.parseQasm("t.qasm", src)).isInstanceOf(QasmSyntaxException.class)
                .hasMessageContaining("t.qasm:" + line + ":" + col + ": ").hasMessageContaining(message)
                .satisfies(e -> {
                    assertThat(((QasmSyntaxException) e).line()).isEqualTo(line);
                    assertThat(((QasmSyntaxException) e).column()).isEqualTo(col);
                });
    }
}
