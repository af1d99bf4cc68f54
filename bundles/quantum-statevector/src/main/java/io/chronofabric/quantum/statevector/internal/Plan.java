package io.chronofabric.quantum.statevector.internal;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.Gate;
import io.chronofabric.api.quantum.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A circuit compiled for the state-vector kernels: the gate steps in order and where each
 * classical bit is read from.
 *
 * <p>Fusion: the single-qubit gates on a qubit since the last multi-qubit gate or barrier that
 * touched it commute with everything on the other qubits, so they are multiplied into one 2x2
 * matrix, applied in one pass when that qubit is next touched (or at the end).
 */
final class Plan {

    final int qubits;
    final List<GateOp> steps;
    /** For each classical bit, the qubit measured into it last, or -1. */
    final int[] bitSource;
    /** Whether the circuit measures anything; if not, all qubits are sampled. */
    final boolean measures;
    final int gatesIn;

    private Plan(int qubits, List<GateOp> steps, int[] bitSource, boolean measures, int gatesIn) {
        this.qubits = qubits;
        this.steps = steps;
        this.bitSource = bitSource;
        this.measures = measures;
        this.gatesIn = gatesIn;
    }

    static Plan compile(Circuit circuit, boolean fuse) {
        int n = circuit.qubits();
        List<GateOp> steps = new ArrayList<>();
        double[][] pending = new double[n][];
        String[] pendingText = new String[n];
        int[] fused = new int[n];
        int[] bitSource = new int[circuit.classicalBits()];
        Arrays.fill(bitSource, -1);
        boolean measures = false;
        for (Operation op : circuit.operations()) {
            switch (op.kind()) {
                case GATE: {
                    Gate g = op.gate();
                    if (g.qubits() == 1) {
                        int q = op.qubit(0);
                        double[] m = Matrices.of(g, op.parameters());
                        if (!fuse) {
                            add(steps, GateOp.single(q, m, op.toString()));
                        } else if (pending[q] == null) {
                            pending[q] = m;
                            pendingText[q] = op.toString();
                            fused[q] = 0;
                        } else {
                            pending[q] = Matrices.multiply(m, pending[q]);
                            pendingText[q] = "fused(" + (++fused[q] + 1) + " gates) q[" + q + "]";
                        }
                        break;
                    }
                    for (int i = 0; i < op.qubitCount(); i++) {
                        flush(steps, pending, pendingText, op.qubit(i));
                    }
                    switch (g) {
                        case CNOT:
                            steps.add(GateOp.cnot(op.qubit(0), op.qubit(1)));
                            break;
                        case CZ:
                            steps.add(GateOp.cz(op.qubit(0), op.qubit(1)));
                            break;
                        case SWAP:
                            steps.add(GateOp.swap(op.qubit(0), op.qubit(1)));
                            break;
                        case TOFFOLI:
                            steps.add(GateOp.toffoli(op.qubit(0), op.qubit(1), op.qubit(2)));
                            break;
                        default:
                            throw new IllegalArgumentException("Gate " + g + " has no kernel");
                    }
                    break;
                }
                case BARRIER:
                    for (int i = 0; i < op.qubitCount(); i++) {
                        flush(steps, pending, pendingText, op.qubit(i));
                    }
                    break;
                case MEASURE:
                    flush(steps, pending, pendingText, op.qubit(0));
                    bitSource[op.classicalBit()] = op.qubit(0);
                    measures = true;
                    break;
                default:
                    throw new IllegalArgumentException("Operation kind " + op.kind());
            }
        }
        for (int q = 0; q < n; q++) {
            flush(steps, pending, pendingText, q);
        }
        return new Plan(n, List.copyOf(steps), bitSource, measures, circuit.gateCount());
    }

    private static void flush(List<GateOp> steps, double[][] pending, String[] text, int q) {
        if (pending[q] != null) {
            add(steps, GateOp.single(q, pending[q], text[q]));
            pending[q] = null;
            text[q] = null;
        }
    }

    private static void add(List<GateOp> steps, GateOp op) {
        if (op != null) {
            steps.add(op);
        }
    }
}
