package io.chronofabric.time.internal;

import io.chronofabric.api.time.QuantumOffset;
import java.util.Map;

/** Builds the configured {@link QuantumOffset}, refusing bad values with the key named. */
final class QuantumOffsets {

    private QuantumOffsets() {
    }

    static QuantumOffset from(TimeConfig config, Map<String, ?> raw) {
        double amplitude = ConfigValues.read(raw, "quantum.amplitude.ns", config::quantum_amplitude_ns, "a number");
        double frequency = ConfigValues.read(raw, "quantum.frequency.hz", config::quantum_frequency_hz, "a number");
        double phase = ConfigValues.read(raw, "quantum.phase.rad", config::quantum_phase_rad, "a number");
        if (!(amplitude >= 0) || Double.isInfinite(amplitude)) {
            throw new IllegalArgumentException("quantum.amplitude.ns=" + raw.get("quantum.amplitude.ns") + " must be a finite number >= 0");
        }
        if (!(frequency >= 0) || Double.isInfinite(frequency)) {
            throw new IllegalArgumentException("quantum.frequency.hz=" + raw.get("quantum.frequency.hz") + " must be a finite number >= 0");
        }
        if (Double.isNaN(phase) || Double.isInfinite(phase)) {
            throw new IllegalArgumentException("quantum.phase.rad=" + raw.get("quantum.phase.rad") + " must be finite");
        }
        return amplitude == 0 ? QuantumOffset.NONE : new QuantumOffset(amplitude, frequency, phase);
    }
}
