package io.chronofabric.api.quantum;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One step of a {@link Circuit}: a gate on its qubits, the measurement of one qubit into one
 * classical bit, or a barrier. Immutable; built by {@link Circuit.Builder}, which has checked it
 * against the circuit's width.
 */
public final class Operation {

    /** What an operation does. */
    public enum Kind {
        /** A unitary gate ({@link #gate()}). */
        GATE,
        /** Measures {@link #qubit(int) qubit(0)} in the computational basis into {@link #classicalBit()}. */
        MEASURE,
        /** Orders the operations on either side; a simulator does not fuse gates across it. */
        BARRIER
    }

    private final Kind kind;
    private final Gate gate;
    private final int[] qubits;
    private final double[] parameters;
    private final int classicalBit;

    Operation(Kind kind, Gate gate, int[] qubits, double[] parameters, int classicalBit) {
        this.kind = kind;
        this.gate = gate;
        this.qubits = qubits;
        this.parameters = parameters;
        this.classicalBit = classicalBit;
    }

    public Kind kind() {
        return kind;
    }

    /** The gate; {@code null} unless {@link #kind()} is {@link Kind#GATE}. */
    public Gate gate() {
        return gate;
    }

    /** How many qubits it names (for a barrier: the qubits it orders). */
    public int qubitCount() {
        return qubits.length;
    }

    /** The {@code i}-th qubit it names, in the gate's order (control before target). */
    public int qubit(int i) {
        return qubits[i];
    }

    /** A copy of the qubits it names. */
    public int[] qubits() {
        return qubits.clone();
    }

    /** The {@code i}-th angle parameter in radians. */
    public double parameter(int i) {
        return parameters[i];
    }

    /** A copy of the angle parameters (empty for gates without any, measurements and barriers). */
    public double[] parameters() {
        return parameters.clone();
    }

    /** The classical bit a measurement writes; -1 for other kinds. */
    public int classicalBit() {
        return classicalBit;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Operation)) {
            return false;
        }
        Operation other = (Operation) o;
        return kind == other.kind && gate == other.gate && classicalBit == other.classicalBit && Arrays.equals(qubits, other.qubits)
                && Arrays.equals(parameters, other.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, gate, classicalBit, Arrays.hashCode(qubits), Arrays.hashCode(parameters));
    }

    /** OpenQASM-like text, e.g. {@code cnot q[0],q[1]}, {@code rz(0.5) q[2]}, {@code measure q[0] -> c[0]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        switch (kind) {
            case MEASURE:
                return "measure q[" + qubits[0] + "] -> c[" + classicalBit + "]";
            case BARRIER:
                b.append("barrier");
                break;
            default:
                b.append(gate.lowerName());
                if (parameters.length > 0) {
                    b.append('(');
                    for (int i = 0; i < parameters.length; i++) {
                        b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", parameters[i]));
                    }
                    b.append(')');
                }
        }
        for (int i = 0; i < qubits.length; i++) {
            b.append(i == 0 ? " " : ",").append("q[").append(qubits[i]).append(']');
        }
        return b.toString();
    }
}
