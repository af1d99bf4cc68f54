package io.chronofabric.quantum.statevector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.Gate;
import java.util.SplittableRandom;

final class QuantumTestSupport {

    private QuantumTestSupport() {
    }

    static StateVectorSimulator simulator() {
        return new StateVectorSimulator(Engine.Options.defaults().withThreads(1));
    }

    static StateVectorSimulator simulator(Engine.Options options) {
        return new StateVectorSimulator(options);
    }

    static void assertState(double[] re, double[] im, double[] wantRe, double[] wantIm, double tolerance) {
        assertThat(re).hasSameSizeAs(wantRe);
        for (int i = 0; i < re.length; i++) {
            assertThat(re[i]).as("re[%d]", i).isCloseTo(wantRe[i], within(tolerance));
            assertThat(im[i]).as("im[%d]", i).isCloseTo(wantIm[i], within(tolerance));
        }
    }

    /** Equal up to a global phase: |<a|b>| = 1 within the tolerance (both normalised). */
    static double fidelity(double[] ar, double[] ai, double[] br, double[] bi) {
        double sr = 0, si = 0;
        for (int i = 0; i < ar.length; i++) {
            // conj(a) * b
            sr += ar[i] * br[i] + ai[i] * bi[i];
            si += ar[i] * bi[i] - ai[i] * br[i];
        }
        return Math.hypot(sr, si);
    }

    static double norm(double[] re, double[] im) {
        double s = 0;
        for (int i = 0; i < re.length; i++) {
            s += re[i] * re[i] + im[i] * im[i];
        }
        return Math.sqrt(s);
    }

    /** A random circuit over every gate kind, with random angles. */
    static Circuit random(int qubits, int gates, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Gate[] all = Gate.values();
        Circuit.Builder b = Circuit.builder(qubits);
        for (int g = 0; g < gates; g++) {
            Gate gate = all[r.nextInt(all.length)];
            if (gate.qubits() > qubits) {
                gate = Gate.H;
            }
            int[] qs = distinct(r, qubits, gate.qubits());
            double[] p = new double[gate.parameters()];
            for (int i = 0; i < p.length; i++) {
                p[i] = (r.nextDouble() * 2 - 1) * 2 * Math.PI;
            }
            b.gate(gate, p, qs);
        }
        return b.build();
    }

    static int[] distinct(SplittableRandom r, int n, int k) {
        int[] qs = new int[k];
        for (int i = 0; i < k; i++) {
            boolean again;
            do {
                qs[i] = r.nextInt(n);
                again = false;
                for (int j = 0; j < i; j++) {
                    again |= qs[j] == qs[i];
                }
            } while (again);
        }
        return qs;
    }

    /** Controlled phase diag(1,1,1,e^{iλ}) from API gates (qelib1's cu1). */
    static void cp(Circuit.Builder b, double lambda, int control, int target) {
        b.u(0, 0, lambda / 2, control);
        b.cnot(control, target);
        b.u(0, 0, -lambda / 2, target);
        b.cnot(control, target);
        b.u(0, 0, lambda / 2, target);
    }
}
