package io.chronofabric.quantum.statevector.internal;

import static io.chronofabric.quantum.statevector.internal.QuantumTestSupport.norm;
import static io.chronofabric.quantum.statevector.internal.QuantumTestSupport.random;
import static io.chronofabric.quantum.statevector.internal.QuantumTestSupport.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.Gate;
import io.chronofabric.api.quantum.QuantumResult;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Kernels against a naive dense-matrix reference; unitarity; fusion and parallelism change nothing. */
class StateVectorCorrectnessTest {

    @Test
    void shouldMatchTheDenseReferenceForEveryGateOnEveryQubitPosition() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 4;
        for (Gate g : Gate.values()) {
            for (int trial = 0; trial < 12; trial++) {
                // a random start state, so every matrix entry matters
                Circuit.Builder b = Circuit.builder(n);
                for (int q = 0; q < n; q++) {
                    b.u(r.nextDouble() * 3, r.nextDouble() * 6, r.nextDouble() * 6, q);
                }
                b.cnot(0, 1).cnot(2, 3).barrier();
                int[] qs = QuantumTestSupport.distinct(r, n, g.qubits());
                double[] p = new double[g.parameters()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = r.nextDouble() * 8 - 4;
                }
                Circuit c = b.gate(g, p, qs).build();
                QuantumResult got = simulator().run(c, 0, 0, true);
                double[][] want = DenseReference.run(c);
                QuantumTestSupport.assertState(got.stateReal(), got.stateImag(), want[0], want[1], 1e-13);
            }
        }
    }

    @Test
    void shouldMatchTheDenseReferenceOnRandomCircuits() {
        for (long seed = 1; seed <= 20; seed++) {
            Circuit c = random(6, 200, seed);
            QuantumResult got = simulator().run(c, 0, 0, true);
            double[][] want = DenseReference.run(c);
            QuantumTestSupport.assertState(got.stateReal(), got.stateImag(), want[0], want[1], 1e-12);
        }
    }

    @Test
    void shouldPreserveTheNormWithin1e12After10000RandomGates() {
        Circuit c = random(10, 10_000, 42);
        for (boolean fusion : new boolean[] {true, false}) {
            QuantumResult got = simulatorWith(Engine.Options.defaults().withThreads(1).withFusion(fusion)).run(c, 0, 0, true);
            assertThat(norm(got.stateReal(), got.stateImag())).as("fusion %s", fusion).isCloseTo(1.0, within(1e-12));
        }
    }

    private static StateVectorSimulator simulatorWith(Engine.Options o) {
        return QuantumTestSupport.simulator(o);
    }

    @Test
    void shouldGiveTheSameStateWithAndWithoutFusion() {
        for (long seed = 1; seed <= 10; seed++) {
            // single-qubit runs long enough to fuse: 3 of 4 gates single-qubit
            SplittableRandom r = new SplittableRandom(seed);
            Circuit.Builder b = Circuit.builder(8);
            for (int g = 0; g < 600; g++) {
                if (r.nextInt(4) == 0) {
                    int[] qs = QuantumTestSupport.distinct(r, 8, 2);
                    b.cnot(qs[0], qs[1]);
                } else {
                    int q = r.nextInt(8);
                    switch (r.nextInt(5)) {
                        case 0 -> b.h(q);
                        case 1 -> b.t(q);
                        case 2 -> b.rz(r.nextDouble() * 6, q);
                        case 3 -> b.rx(r.nextDouble() * 6, q);
                        default -> b.u(r.nextDouble(), r.nextDouble(), r.nextDouble(), q);
                    }
                }
            }
            Circuit c = b.build();
            Plan fused = Plan.compile(c, true);
            Plan plain = Plan.compile(c, false);
            assertThat(fused.steps.size()).as("fusion merged gates").isLessThan(plain.steps.size() * 9 / 10);
            QuantumResult a = simulatorWith(Engine.Options.defaults().withThreads(1).withFusion(true)).run(c, 0, 0, true);
            QuantumResult z = simulatorWith(Engine.Options.defaults().withThreads(1).withFusion(false)).run(c, 0, 0, true);
            QuantumTestSupport.assertState(a.stateReal(), a.stateImag(), z.stateReal(), z.stateImag(), 1e-12);
        }
    }

    @Test
    void shouldNotFuseAcrossABarrier() {
        Circuit c = Circuit.builder(1).h(0).barrier().h(0).build();
        assertThat(Plan.compile(c, true).steps).hasSize(2);
        assertThat(Plan.compile(Circuit.builder(1).h(0).h(0).build(), true).steps).hasSize(1);
        // X X fuses to the exact identity: nothing left to apply
        assertThat(Plan.compile(Circuit.builder(1).x(0).x(0).build(), true).steps).isEmpty();
    }

    @Test
    void shouldGiveBitIdenticalStatesOnTwoThreadsAndOne() {
        Circuit c = random(18, 300, 99);
        Engine.Options serial = Engine.Options.defaults().withThreads(1);
        Engine.Options parallel = Engine.Options.defaults().withThreads(2).withParallelMinQubits(16);
        StateVectorSimulator p = simulatorWith(parallel);
        assertThat(p.engine().pool()).isNotNull();
        QuantumResult a = simulatorWith(serial).run(c, 1000, 5, true);
        QuantumResult b = p.run(c, 1000, 5, true);
        assertThat(b.stateReal()).isEqualTo(a.stateReal());
        assertThat(b.stateImag()).isEqualTo(a.stateImag());
        assertThat(b.counts()).isEqualTo(a.counts());
        p.deactivate();
    }

    @Test
    void shouldPickTheCheapKernelForEachMatrixShape() {
        assertThat(kind(Circuit.builder(1).h(0))).isEqualTo(GateOp.REAL);
        assertThat(kind(Circuit.builder(1).x(0))).isEqualTo(GateOp.FLIP);
        assertThat(kind(Circuit.builder(1).y(0))).isEqualTo(GateOp.ANTI_DIAGONAL);
        assertThat(kind(Circuit.builder(1).t(0))).isEqualTo(GateOp.PHASE);
        assertThat(kind(Circuit.builder(1).u(0, 0, 0.3, 0))).isEqualTo(GateOp.PHASE);
        assertThat(kind(Circuit.builder(1).rz(0.3, 0))).isEqualTo(GateOp.DIAGONAL);
        assertThat(kind(Circuit.builder(1).rx(0.3, 0))).isEqualTo(GateOp.MATRIX);
    }

    private static int kind(Circuit.Builder b) {
        return Plan.compile(b.build(), true).steps.get(0).kind;
    }
}
