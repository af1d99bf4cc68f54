package io.chronofabric.api.quantum;

/**
 * A real vector encoded as the amplitudes of a quantum state (amplitude encoding): {@code x} of
 * length {@code L} becomes the {@code n}-qubit state with amplitude {@code x[i] / |x|} on basis
 * state {@code i} for {@code i < L} and 0 on the padding up to {@code 2^n}, {@code n} the
 * smallest width with {@code 2^n >= L} (at least 1 qubit). {@link #norm()} keeps {@code |x|}, so
 * {@link #decode(double[])} gives the vector back.
 *
 * <p>Immutable except for {@link #amplitudes()}, which returns the encoding's own array.
 */
public final class AmplitudeEncoding {

    private final int qubits;
    private final int length;
    private final double norm;
    private final double[] amplitudes;

    /**
     * For providers.
     *
     * @throws IllegalArgumentException if {@code amplitudes.length} is not 2^qubits, the length is
     *         not in 1..2^qubits, or the norm is not finite and positive
     */
    public AmplitudeEncoding(int qubits, int length, double norm, double[] amplitudes) {
        if (amplitudes == null || qubits < 1 || qubits > 30 || amplitudes.length != 1 << qubits) {
            throw new IllegalArgumentException("amplitudes: expected 2^" + qubits + " values, got "
                    + (amplitudes == null ? "null" : String.valueOf(amplitudes.length)));
        }
        if (length < 1 || length > amplitudes.length) {
            throw new IllegalArgumentException("length " + length + " is out of range 1.." + amplitudes.length);
        }
        if (!(norm > 0) || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("norm " + norm + " is not finite and positive");
        }
        this.qubits = qubits;
        this.length = length;
        this.norm = norm;
        this.amplitudes = amplitudes;
    }

    /** The width of the state: the smallest {@code n >= 1} with {@code 2^n >= length()}. */
    public int qubits() {
        return qubits;
    }

    /** The length of the encoded vector (before padding). */
    public int length() {
        return length;
    }

    /** The Euclidean norm of the encoded vector. */
    public double norm() {
        return norm;
    }

    /** The 2^qubits real amplitudes (unit norm, zero padded); the encoding's own array, not a copy. */
    public double[] amplitudes() {
        return amplitudes;
    }

    /**
     * The classical vector that real amplitudes stand for under this encoding: the first
     * {@link #length()} values times {@link #norm()} (the inverse of the encoding).
     *
     * @throws IllegalArgumentException if fewer than {@link #length()} values are given
     */
    public double[] decode(double[] realAmplitudes) {
        if (realAmplitudes == null || realAmplitudes.length < length) {
            throw new IllegalArgumentException("decode needs at least " + length + " amplitudes, got "
                    + (realAmplitudes == null ? "null" : String.valueOf(realAmplitudes.length)));
        }
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = realAmplitudes[i] * norm;
        }
        return x;
    }
}
