package io.chronofabric.api.quantum;

import java.util.Locale;

/**
 * The gates a {@link Circuit} holds, with their matrices in the computational basis
 * ({@code |0>}, {@code |1>}; for several qubits the first qubit named is the most significant of
 * the matrix index, e.g. CNOT(control, target)).
 *
 * <ul>
 * <li>{@link #H}, {@link #X}, {@link #Y}, {@link #Z}; {@link #S} = diag(1, i), {@link #SDG} =
 * diag(1, -i), {@link #T} = diag(1, e^{iπ/4}), {@link #TDG} = diag(1, e^{-iπ/4}).</li>
 * <li>{@link #RX}(θ) = exp(-iθX/2), {@link #RY}(θ) = exp(-iθY/2), {@link #RZ}(θ) = exp(-iθZ/2) =
 * diag(e^{-iθ/2}, e^{iθ/2}) (Nielsen and Chuang, eq. 4.4–4.6).</li>
 * <li>{@link #U}(θ, φ, λ) = [[cos(θ/2), -e^{iλ} sin(θ/2)], [e^{iφ} sin(θ/2), e^{i(φ+λ)} cos(θ/2)]],
 * OpenQASM 2's {@code u3}; {@code u1(λ)} = U(0, 0, λ) = diag(1, e^{iλ}).</li>
 * <li>{@link #CNOT}(control, target), {@link #CZ}(a, b), {@link #SWAP}(a, b), {@link
 * #TOFFOLI}(control1, control2, target).</li>
 * </ul>
 */
public enum Gate {
    H(1, 0), X(1, 0), Y(1, 0), Z(1, 0), S(1, 0), SDG(1, 0), T(1, 0), TDG(1, 0),
    RX(1, 1), RY(1, 1), RZ(1, 1), U(1, 3),
    CNOT(2, 0), CZ(2, 0), SWAP(2, 0), TOFFOLI(3, 0);

    private final int qubits;
    private final int parameters;

    Gate(int qubits, int parameters) {
        this.qubits = qubits;
        this.parameters = parameters;
    }

    /** How many qubits the gate acts on (1, 2 or 3). */
    public int qubits() {
        return qubits;
    }

    /** How many angle parameters (radians) it takes: 0, 1 (RX, RY, RZ) or 3 (U: θ, φ, λ). */
    public int parameters() {
        return parameters;
    }

    /** Lower-case name, as in OpenQASM where it has one there ({@code h}, {@code sdg}, {@code cnot}...). */
    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The gate of that name, case-insensitive; also accepts {@code cx} (CNOT), {@code ccx}
     * (TOFFOLI) and {@code u3} (U).
     *
     * @throws IllegalArgumentException naming the unknown gate and the known ones
     */
    public static Gate byName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("Unknown gate null");
        }
        String n = name.trim().toUpperCase(Locale.ROOT);
        switch (n) {
            case "CX":
                return CNOT;
            case "CCX":
                return TOFFOLI;
            case "U3":
                return U;
            default:
                for (Gate g : values()) {
                    if (g.name().equals(n)) {
                        return g;
                    }
                }
                StringBuilder known = new StringBuilder();
                for (Gate g : values()) {
                    known.append(known.length() == 0 ? "" : " ").append(g.lowerName());
                }
                throw new IllegalArgumentException("Unknown gate '" + name + "'; known gates: " + known + " (and cx, ccx, u3)");
        }
    }
}
