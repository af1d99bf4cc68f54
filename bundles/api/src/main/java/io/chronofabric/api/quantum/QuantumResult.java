package io.chronofabric.api.quantum;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link QuantumSimulator} run gives back: measurement counts over the shots, the seed
 * they were sampled with, the final state vector when it was asked for, and timings.
 *
 * <p>Immutable except for the state arrays, which {@link #stateReal()} and {@link #stateImag()}
 * return without copying (a 28-qubit state is 4 GiB): a caller that writes to them changes this
 * result. Otherwise safe to share between threads.
 */
public final class QuantumResult {

    private final int qubits;
    private final int shots;
    private final long seed;
    private final Map<String, Long> counts;
    private final double[] re;
    private final double[] im;
    private final long gateNanos;
    private final long samplingNanos;

    /**
     * For providers.
     *
     * @param counts outcome to count; copied (sorted by outcome)
     * @param re real parts of the final state, or null when not kept (then {@code im} must be null too)
     * @param im imaginary parts, same length as {@code re}
     * @throws IllegalArgumentException if only one of the arrays is given, their lengths differ or
     *         are not 2^qubits, or shots is negative
     */
    public QuantumResult(int qubits, int shots, long seed, Map<String, Long> counts, double[] re, double[] im, long gateNanos,
            long samplingNanos) {
        if (shots < 0) {
            throw new IllegalArgumentException("shots " + shots + " is negative");
        }
        if ((re == null) != (im == null)) {
            throw new IllegalArgumentException("state: give both the real and the imaginary parts, or neither");
        }
        if (re != null && (re.length != im.length || qubits > 30 || re.length != 1 << qubits)) {
            throw new IllegalArgumentException("state: " + re.length + " real and " + im.length + " imaginary parts for " + qubits
                    + " qubits; expected 2^" + qubits);
        }
        this.qubits = qubits;
        this.shots = shots;
        this.seed = seed;
        this.counts = Collections.unmodifiableMap(new TreeMap<>(counts == null ? Map.of() : counts));
        this.re = re;
        this.im = im;
        this.gateNanos = gateNanos;
        this.samplingNanos = samplingNanos;
    }

    public int qubits() {
        return qubits;
    }

    /** How many times the measurements were sampled (0: no counts). */
    public int shots() {
        return shots;
    }

    /** The seed the shots were sampled with: the same circuit, shots and seed give the same counts. */
    public long seed() {
        return seed;
    }

    /**
     * Outcome to how many shots gave it, sorted by outcome; outcomes never seen are absent. An
     * outcome is the classical register written most significant bit first (bit 0 last), one
     * character per classical bit; bits no measurement writes read 0. A circuit that measures
     * nothing is sampled on every qubit (qubit {@code i} into bit {@code i}). Unmodifiable; empty
     * when shots is 0.
     */
    public Map<String, Long> counts() {
        return counts;
    }

    /** Whether the final state vector was kept ({@code wantState} at run). */
    public boolean hasState() {
        return re != null;
    }

    /**
     * Real parts of the final amplitudes, index = basis state (qubit 0 least significant); the
     * result's own array, not a copy.
     *
     * @throws IllegalStateException if the state was not kept
     */
    public double[] stateReal() {
        requireState();
        return re;
    }

    /** Imaginary parts, as {@link #stateReal()}. */
    public double[] stateImag() {
        requireState();
        return im;
    }

    /**
     * |amplitude|^2 of one basis state.
     *
     * @throws IllegalStateException if the state was not kept
     * @throws IndexOutOfBoundsException if the index is not below 2^qubits
     */
    public double probability(int basisIndex) {
        requireState();
        return re[basisIndex] * re[basisIndex] + im[basisIndex] * im[basisIndex];
    }

    /** Time spent applying the gates, in nanoseconds (not the state's allocation, not the sampling). */
    public long gateNanos() {
        return gateNanos;
    }

    /** Time spent sampling the shots, in nanoseconds. */
    public long samplingNanos() {
        return samplingNanos;
    }

    private void requireState() {
        if (re == null) {
            throw new IllegalStateException("This result carries no state vector: run with wantState = true");
        }
    }

    @Override
    public String toString() {
        return "QuantumResult(" + qubits + " qubits, " + shots + " shots, seed " + seed + ", " + counts.size() + " outcomes"
                + (hasState() ? ", state" : "") + ")";
    }
}
