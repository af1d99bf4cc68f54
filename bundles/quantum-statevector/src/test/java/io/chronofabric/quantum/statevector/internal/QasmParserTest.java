package io.chronofabric.quantum.statevector.internal;

import static io.chronofabric.quantum.statevector.internal.QuantumTestSupport.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.Gate;
import io.chronofabric.api.quantum.Operation;
import io.chronofabric.api.quantum.QuantumResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QasmParserTest {

    private static final String HEAD = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";

    @Test
    void shouldRunTheBellCircuitFromQasm() {
        String src = HEAD + "// Bell pair\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nbarrier q;\nmeasure q -> c;\n";
        Circuit c = simulator().parseQasm("bell.qasm", src);
        assertThat(c.qubits()).isEqualTo(2);
        assertThat(c.classicalBits()).isEqualTo(2);
        assertThat(c.gateCount()).isEqualTo(2);
        assertThat(c.measurementCount()).isEqualTo(2);
        assertThat(c.name()).isEqualTo("bell.qasm");
        QuantumResult r = simulator().run(c, 1024, 1, false);
        assertThat(r.counts()).containsOnlyKeys("00", "11");
    }

    @Test
    void shouldBroadcastOverRegistersAndNumberSeveralRegistersInOrder() {
        String src = HEAD + "qreg a[2];\nqreg b[2];\ncreg c[4];\nx a;\ncx a, b;\nmeasure a[0] -> c[0];\nmeasure b -> c[2:3];\n";
        // c[2:3] is not QASM 2: check the error, then the real form
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> simulator().parseQasm("x", src))).hasMessageContaining("x:9:17: unexpected character ':'");
        String ok = HEAD + "qreg a[2];\nqreg b[2];\ncreg c[4];\nx a;\ncx a, b;\nmeasure a[0] -> c[0];\nmeasure b[1] -> c[3];\n";
        Circuit c = simulator().parseQasm("x", ok);
        assertThat(c.qubits()).isEqualTo(4);
        // x on qubits 0,1; cx 0->2, 1->3
        assertThat(c.operations().get(2).qubits()).containsExactly(0, 2);
        assertThat(c.operations().get(3).qubits()).containsExactly(1, 3);
        assertThat(simulator().run(c, 8, 1, false).counts()).isEqualTo(Map.of("1001", 8L));
    }

    @Test
    void shouldEvaluateParametersWithPiAndArithmetic() {
        String src = HEAD + "qreg q[1];\nrz(-pi/4 + 2*pi^2/(3-1) - sqrt(4)*cos(0) + 1.5e-1) q[0];\n";
        Operation op = simulator().parseQasm("p", src).operations().get(0);
        assertThat(op.gate()).isEqualTo(Gate.RZ);
        assertThat(op.parameter(0)).isCloseTo(-Math.PI / 4 + Math.PI * Math.PI - 2 + 0.15, within(1e-15));
    }

    @Test
    void shouldExpandUserGateDefinitions() {
        String src = HEAD + "gate bell(theta) a, b { ry(theta) a; cx a, b; }\ngate twice a { x a; x a; }\nqreg q[3];\nbell(pi) q[1], q[2];\ntwice q[0];\n";
        Circuit c = simulator().parseQasm("g", src);
        assertThat(c.operations()).extracting(Operation::gate).containsExactly(Gate.RY, Gate.CNOT, Gate.X, Gate.X);
        QuantumResult r = simulator().run(c, 0, 0, true);
        assertThat(r.probability(0b110)).isCloseTo(1, within(1e-15));
    }

    /** The qelib1.inc controlled gates, expanded as that file defines them, against the controlled matrices. */
    @Test
    void shouldExpandTheQelib1ControlledGatesIntoTheControlledMatrices() {
        double th = 0.7, ph = -1.3, la = 2.1;
        checkControlled("cu3(0.7,-1.3,2.1)", Matrices.of(Gate.U, new double[] {th, ph, la}), false);
        checkControlled("cu1(2.1)", Matrices.of(Gate.U, new double[] {0, 0, la}), false);
        checkControlled("cp(2.1)", Matrices.of(Gate.U, new double[] {0, 0, la}), false);
        checkControlled("crz(0.7)", Matrices.of(Gate.RZ, new double[] {th}), false);
        checkControlled("cry(0.7)", Matrices.of(Gate.RY, new double[] {th}), false);
        checkControlled("crx(0.7)", Matrices.of(Gate.RX, new double[] {th}), false);
        checkControlled("ch", Matrices.of(Gate.H, null), false);
        checkControlled("cy", Matrices.of(Gate.Y, null), false);
        checkControlled("cz", Matrices.of(Gate.Z, null), false);
        checkControlled("cx", Matrices.of(Gate.X, null), false);
        // u2(phi, lambda) = U(pi/2, phi, lambda); sx = sqrt(X) up to a global phase
        checkSingle("u2(-1.3,2.1)", Matrices.of(Gate.U, new double[] {Math.PI / 2, ph, la}), false);
        checkSingle("sx", new double[] {0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5}, true);
        checkSingle("u1(2.1)", Matrices.of(Gate.U, new double[] {0, 0, la}), false);
        checkSingle("rz(2.1)", Matrices.of(Gate.RZ, new double[] {la}), false);
    }

    @Test
    void shouldExpandCswapAndRzz() {
        String src = HEAD + "qreg q[3];\nx q[0];\nx q[1];\ncswap q[0], q[1], q[2];\n";
        assertThat(simulator().run(simulator().parseQasm("s", src), 0, 0, true).probability(0b101)).isCloseTo(1, within(1e-15));
        String rzz = HEAD + "qreg q[2];\nx q[0];\nrzz(0.5) q[0], q[1];\n";
        QuantumResult r = simulator().run(simulator().parseQasm("r", rzz), 0, 0, true);
        assertThat(r.stateReal()[1]).isCloseTo(Math.cos(0.5), within(1e-15));
        assertThat(r.stateImag()[1]).isCloseTo(Math.sin(0.5), within(1e-15));
    }

    /** Random start state on 2 qubits; gate with control q[0], target q[1]; compare with m applied where q0 = 1. */
    private static void checkControlled(String gate, double[] m, boolean upToPhase) {
        String prep = "u3(0.3,0.2,0.1) q[0];\nu3(1.1,-0.4,0.9) q[1];\ncx q[1],q[0];\nu3(0.5,0.6,-0.7) q[0];\n";
        String src = HEAD + "qreg q[2];\n" + prep + "barrier q;\n" + gate + " q[0],q[1];\n";
        QuantumResult got = simulator().run(simulator().parseQasm(gate, src), 0, 0, true);
        QuantumResult start = simulator().run(simulator().parseQasm("prep", HEAD + "qreg q[2];\n" + prep), 0, 0, true);
        double[] re = start.stateReal().clone();
        double[] im = start.stateImag().clone();
        applyTo(re, im, 1, 3, m); // control = qubit 0 set: indices 1 (target 0) and 3 (target 1)
        compare(gate, got, re, im, upToPhase);
    }

    private static void checkSingle(String gate, double[] m, boolean upToPhase) {
        String prep = "u3(0.3,0.2,0.1) q[0];\n";
        QuantumResult got = simulator().run(simulator().parseQasm(gate, HEAD + "qreg q[1];\n" + prep + "barrier q;\n" + gate + " q[0];\n"), 0, 0, true);
        QuantumResult start = simulator().run(simulator().parseQasm("prep", HEAD + "qreg q[1];\n" + prep), 0, 0, true);
        double[] re = start.stateReal().clone();
        double[] im = start.stateImag().clone();
        applyTo(re, im, 0, 1, m);
        compare(gate, got, re, im, upToPhase);
    }

    private static void applyTo(double[] re, double[] im, int i0, int i1, double[] m) {
        double xr = re[i0], xi = im[i0], yr = re[i1], yi = im[i1];
        re[i0] = m[0] * xr - m[1] * xi + m[2] * yr - m[3] * yi;
        im[i0] = m[0] * xi + m[1] * xr + m[2] * yi + m[3] * yr;
        re[i1] = m[4] * xr - m[5] * xi + m[6] * yr - m[7] * yi;
        im[i1] = m[4] * xi + m[5] * xr + m[6] * yi + m[7] * yr;
    }

    private static void compare(String gate, QuantumResult got, double[] re, double[] im, boolean upToPhase) {
        if (upToPhase) {
            assertThat(QuantumTestSupport.fidelity(got.stateReal(), got.stateImag(), re, im)).as(gate).isCloseTo(1, within(1e-12));
        } else {
            for (int i = 0; i < re.length; i++) {
                assertThat(got.stateReal()[i]).as("%s re[%d]", gate, i).isCloseTo(re[i], within(1e-12));
                assertThat(got.stateImag()[i]).as("%s im[%d]", gate, i).isCloseTo(im[i], within(1e-12));
            }
        }
    }
}
