package io.chronofabric.api.quantum;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A quantum circuit: a width (qubits), a number of classical bits, and a sequence of {@link
 * Operation}s. Immutable and safe to share between threads; build one with {@link #builder(int)}.
 *
 * <p>Qubit 0 is the least significant bit of a basis index (see the package documentation). A
 * circuit starts in {@code |0...0>} unless the simulator is given an initial state.
 *
 * <p><b>Measurement.</b> Measurements are terminal: a qubit, once measured, takes no further gate
 * (the builder refuses one), so a simulator may sample all measurements from the final state.
 * Measuring the same classical bit twice keeps the last measurement.
 */
public final class Circuit {

    /** The most qubits a circuit may name; a simulator's own limit is far lower (see {@link QuantumSimulator#maxQubits()}). */
    public static final int MAX_QUBITS = 1024;

    private final String name;
    private final int qubits;
    private final int classicalBits;
    private final List<Operation> operations;
    private final int gateCount;
    private final int measurementCount;

    private Circuit(Builder b) {
        this.name = b.name;
        this.qubits = b.qubits;
        this.classicalBits = b.classicalBits;
        this.operations = Collections.unmodifiableList(new ArrayList<>(b.operations));
        this.gateCount = b.gateCount;
        this.measurementCount = b.measurementCount;
    }

    /**
     * A builder for a circuit of {@code qubits} qubits and as many classical bits.
     *
     * @throws IllegalArgumentException if {@code qubits} is not in 1..{@value #MAX_QUBITS}
     */
    public static Builder builder(int qubits) {
        return new Builder(qubits, qubits);
    }

    /**
     * A builder for a circuit of {@code qubits} qubits and {@code classicalBits} classical bits.
     *
     * @throws IllegalArgumentException if {@code qubits} is not in 1..{@value #MAX_QUBITS} or
     *         {@code classicalBits} is negative or above that
     */
    public static Builder builder(int qubits, int classicalBits) {
        return new Builder(qubits, classicalBits);
    }

    /** A name for messages and listings (e.g. the QASM file it came from); never null, may be empty. */
    public String name() {
        return name;
    }

    public int qubits() {
        return qubits;
    }

    public int classicalBits() {
        return classicalBits;
    }

    /** The operations in order; unmodifiable. */
    public List<Operation> operations() {
        return operations;
    }

    /** How many of the operations are gates. */
    public int gateCount() {
        return gateCount;
    }

    /** How many of the operations are measurements. */
    public int measurementCount() {
        return measurementCount;
    }

    @Override
    public String toString() {
        return (name.isEmpty() ? "circuit" : name) + " (" + qubits + " qubits, " + classicalBits + " classical bits, " + gateCount
                + " gates, " + measurementCount + " measurements)";
    }

    /**
     * Builds a {@link Circuit}, checking each operation as it is added: an
     * {@link IllegalArgumentException} names the operation (its index and text), the qubit or
     * parameter that was wrong and the valid range. Not thread-safe.
     */
    public static final class Builder {

        private final int qubits;
        private final int classicalBits;
        private final List<Operation> operations = new ArrayList<>();
        /** Operation index at which each qubit was measured, -1 while not measured. */
        private final int[] measuredAt;
        private String name = "";
        private int gateCount;
        private int measurementCount;

        Builder(int qubits, int classicalBits) {
            if (qubits < 1 || qubits > MAX_QUBITS) {
                throw new IllegalArgumentException("A circuit needs 1.." + MAX_QUBITS + " qubits, not " + qubits);
            }
            if (classicalBits < 0 || classicalBits > MAX_QUBITS) {
                throw new IllegalArgumentException("A circuit has 0.." + MAX_QUBITS + " classical bits, not " + classicalBits);
            }
            this.qubits = qubits;
            this.classicalBits = classicalBits;
            this.measuredAt = new int[qubits];
            java.util.Arrays.fill(measuredAt, -1);
        }

        /** Names the circuit (for messages); null means no name. */
        public Builder name(String name) {
            this.name = name == null ? "" : name;
            return this;
        }

        public Builder h(int q) {
            return gate(Gate.H, q);
        }

        public Builder x(int q) {
            return gate(Gate.X, q);
        }

        public Builder y(int q) {
            return gate(Gate.Y, q);
        }

        public Builder z(int q) {
            return gate(Gate.Z, q);
        }

        public Builder s(int q) {
            return gate(Gate.S, q);
        }

        public Builder sdg(int q) {
            return gate(Gate.SDG, q);
        }

        public Builder t(int q) {
            return gate(Gate.T, q);
        }

        public Builder tdg(int q) {
            return gate(Gate.TDG, q);
        }

        public Builder rx(double theta, int q) {
            return gate(Gate.RX, new double[] {theta}, q);
        }

        public Builder ry(double theta, int q) {
            return gate(Gate.RY, new double[] {theta}, q);
        }

        public Builder rz(double theta, int q) {
            return gate(Gate.RZ, new double[] {theta}, q);
        }

        /** U(θ, φ, λ), OpenQASM's {@code u3}; see {@link Gate#U}. */
        public Builder u(double theta, double phi, double lambda, int q) {
            return gate(Gate.U, new double[] {theta, phi, lambda}, q);
        }

        public Builder cnot(int control, int target) {
            return gate(Gate.CNOT, control, target);
        }

        public Builder cz(int a, int b) {
            return gate(Gate.CZ, a, b);
        }

        public Builder swap(int a, int b) {
            return gate(Gate.SWAP, a, b);
        }

        public Builder toffoli(int control1, int control2, int target) {
            return gate(Gate.TOFFOLI, control1, control2, target);
        }

        /** A gate without parameters. */
        public Builder gate(Gate gate, int... qubitsOfGate) {
            return gate(gate, new double[0], qubitsOfGate);
        }

        /**
         * A gate by name ({@link Gate#byName(String)}), e.g. {@code gate("cx", new double[0], 0, 1)}.
         *
         * @throws IllegalArgumentException for an unknown gate, or as {@link #gate(Gate, double[], int...)}
         */
        public Builder gate(String gateName, double[] parameters, int... qubitsOfGate) {
            Gate g;
            try {
                g = Gate.byName(gateName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Operation " + operations.size() + ": " + e.getMessage(), e);
            }
            return gate(g, parameters, qubitsOfGate);
        }

        /**
         * Any gate.
         *
         * @throws IllegalArgumentException if the gate is null, the number of qubits or parameters is
         *         not the gate's, a qubit is out of range, named twice or already measured, or a
         *         parameter is not finite
         */
        public Builder gate(Gate gate, double[] parameters, int... qubitsOfGate) {
            int index = operations.size();
            if (gate == null) {
                throw new IllegalArgumentException("Operation " + index + ": the gate is null");
            }
            String what = "Operation " + index + " (" + gate.lowerName() + ")";
            double[] params = parameters == null ? new double[0] : parameters.clone();
            int[] qs = qubitsOfGate == null ? new int[0] : qubitsOfGate.clone();
            if (params.length != gate.parameters()) {
                throw new IllegalArgumentException(what + ": takes " + gate.parameters() + " parameter(s), got " + params.length);
            }
            for (int i = 0; i < params.length; i++) {
                if (!Double.isFinite(params[i])) {
                    throw new IllegalArgumentException(what + ": parameter " + i + " is " + params[i] + ", not a finite angle");
                }
            }
            if (qs.length != gate.qubits()) {
                throw new IllegalArgumentException(what + ": acts on " + gate.qubits() + " qubit(s), got " + qs.length);
            }
            checkQubits(what, qs);
            for (int q : qs) {
                if (measuredAt[q] >= 0) {
                    throw new IllegalArgumentException(what + ": qubit " + q + " was measured at operation " + measuredAt[q]
                            + "; measurements are terminal (no gate on a qubit after its measurement)");
                }
            }
            operations.add(new Operation(Operation.Kind.GATE, gate, qs, params, -1));
            gateCount++;
            return this;
        }

        /**
         * Measures {@code qubit} into classical bit {@code classicalBit}.
         *
         * @throws IllegalArgumentException if either index is out of range
         */
        public Builder measure(int qubit, int classicalBit) {
            String what = "Operation " + operations.size() + " (measure)";
            checkQubits(what, new int[] {qubit});
            if (classicalBit < 0 || classicalBit >= classicalBits) {
                throw new IllegalArgumentException(what + ": classical bit " + classicalBit + " is out of range 0.." + (classicalBits - 1)
                        + (classicalBits == 0 ? " (the circuit has no classical bits)" : ""));
            }
            if (measuredAt[qubit] < 0) {
                measuredAt[qubit] = operations.size();
            }
            operations.add(new Operation(Operation.Kind.MEASURE, null, new int[] {qubit}, new double[0], classicalBit));
            measurementCount++;
            return this;
        }

        /**
         * Measures every qubit {@code i} into classical bit {@code i}.
         *
         * @throws IllegalArgumentException if there are fewer classical bits than qubits
         */
        public Builder measureAll() {
            if (classicalBits < qubits) {
                throw new IllegalArgumentException("measureAll needs " + qubits + " classical bits, the circuit has " + classicalBits);
            }
            for (int q = 0; q < qubits; q++) {
                measure(q, q);
            }
            return this;
        }

        /** A barrier over the given qubits, or over all of them when none is given. */
        public Builder barrier(int... qubitsOfBarrier) {
            int[] qs = qubitsOfBarrier == null || qubitsOfBarrier.length == 0 ? allQubits() : qubitsOfBarrier.clone();
            checkQubits("Operation " + operations.size() + " (barrier)", qs);
            operations.add(new Operation(Operation.Kind.BARRIER, null, qs, new double[0], -1));
            return this;
        }

        /** The circuit as built so far; the builder may go on. */
        public Circuit build() {
            return new Circuit(this);
        }

        private int[] allQubits() {
            int[] all = new int[qubits];
            for (int i = 0; i < qubits; i++) {
                all[i] = i;
            }
            return all;
        }

        private void checkQubits(String what, int[] qs) {
            for (int i = 0; i < qs.length; i++) {
                if (qs[i] < 0 || qs[i] >= qubits) {
                    throw new IllegalArgumentException(what + ": qubit " + qs[i] + " is out of range 0.." + (qubits - 1));
                }
                for (int j = 0; j < i; j++) {
                    if (qs[j] == qs[i]) {
                        throw new IllegalArgumentException(what + ": qubit " + qs[i] + " is named twice");
                    }
                }
            }
        }
    }
}
