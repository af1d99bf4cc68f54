package io.chronofabric.api.quantum;

/** What {@link QuantumSimulator#quantumToClassical(QuantumResult, Readout)} reads out of a state. */
public enum Readout {
    /** |amplitude_i|^2 for every basis state i (sums to 1 within rounding). */
    PROBABILITIES,
    /** The real parts of the amplitudes (what {@link AmplitudeEncoding#decode(double[])} takes). */
    REAL_AMPLITUDES,
    /** The amplitudes interleaved: re_0, im_0, re_1, im_1, ... (2^(n+1) values). */
    COMPLEX_AMPLITUDES
}
