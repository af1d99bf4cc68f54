/**
 * The quantum-classical interface: circuits of standard gates, an exact simulator service that
 * runs them, and the encoding of classical vectors into quantum states and back.
 *
 * <p><b>Bit order.</b> Qubit 0 is the least significant bit of a basis index: in an
 * {@code n}-qubit state, amplitude {@code i} belongs to the basis state in which qubit {@code k}
 * is {@code (i >> k) & 1}. Basis states and measurement outcomes are written most significant
 * first, as in OpenQASM and Qiskit: {@code |011>} is index 3 (qubits 0 and 1 set), and the
 * outcome {@code "01"} of a two-bit classical register means classical bit 0 read 1.
 *
 * <p><b>Roles.</b> {@link io.chronofabric.api.quantum.Circuit}, {@link
 * io.chronofabric.api.quantum.QuantumResult} and {@link
 * io.chronofabric.api.quantum.AmplitudeEncoding} are immutable values (except where an accessor
 * says it returns its own array). {@link io.chronofabric.api.quantum.QuantumSimulator} is a
 * provider type: a minor version may add methods.
 */
@Export
@Version("1.0.0")
package io.chronofabric.api.quantum;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
