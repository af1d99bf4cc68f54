package io.chronofabric.api.quantum;

import io.chronofabric.api.core.ResourceExhaustedException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An exact quantum circuit simulator registered as an OSGi service: it computes the full state
 * vector (2^n complex amplitudes) and samples measurements from it. Thread-safe: runs may go on
 * concurrently, each with its own state.
 *
 * <p><b>Roles.</b> A simulator bundle implements this interface; tools, the console and
 * applications call it. It is a provider type: a minor version of this package may add methods.
 *
 * <p><b>Failures.</b> Bad arguments give {@link IllegalArgumentException} naming what was wrong;
 * a circuit wider than the memory the simulator may use gives {@link ResourceExhaustedException}
 * naming the memory it would need and the limit.
 */
@ProviderType
public interface QuantumSimulator {

    /** Short name of the implementation, e.g. {@code "statevector"}. */
    String name();

    /**
     * The widest circuit this simulator runs now: the smaller of its configured limit and what its
     * memory (configured, and the JVM heap) holds, at 16 bytes per amplitude.
     */
    int maxQubits();

    /**
     * Runs a circuit from {@code |0...0>}.
     *
     * @param circuit the circuit; not null
     * @param shots how many times the measurements are sampled from the final state, 0 for none
     * @param seed seed of the sampling: the same circuit, shots and seed give the same counts
     * @param wantState whether the result keeps the final state vector
     * @throws IllegalArgumentException if the circuit is null or shots is negative or above the
     *         simulator's limit (the message says it)
     * @throws ResourceExhaustedException if the circuit is wider than {@link #maxQubits()}
     */
    QuantumResult run(Circuit circuit, int shots, long seed, boolean wantState);

    /**
     * Runs a circuit from an encoded classical vector instead of {@code |0...0>}.
     *
     * @throws IllegalArgumentException as {@link #run(Circuit, int, long, boolean)}, or if the
     *         encoding's width is not the circuit's
     * @throws ResourceExhaustedException as {@link #run(Circuit, int, long, boolean)}
     */
    QuantumResult run(Circuit circuit, AmplitudeEncoding initial, int shots, long seed, boolean wantState);

    /**
     * Amplitude encoding of a real vector: normalised, zero padded to a power of two, with its norm
     * (see {@link AmplitudeEncoding}).
     *
     * @throws IllegalArgumentException if the vector is null, empty, holds a value that is not
     *         finite, or has norm 0 (the message says which)
     * @throws ResourceExhaustedException if the state would be wider than {@link #maxQubits()}
     */
    AmplitudeEncoding classicalToQuantum(double[] values);

    /**
     * Reads classical numbers out of a result's final state.
     *
     * @throws IllegalArgumentException if the result carries no state vector
     */
    double[] quantumToClassical(QuantumResult result, Readout readout);

    /**
     * Parses OpenQASM 2.0 source ({@code OPENQASM 2.0;}, {@code include "qelib1.inc";},
     * {@code qreg}, {@code creg}, the gates of qelib1.inc, {@code measure}, {@code barrier}).
     *
     * @param sourceName name used in error messages (e.g. the file name); may be null
     * @throws QasmSyntaxException naming the line and column of the first problem
     */
    Circuit parseQasm(String sourceName, String source);
}
