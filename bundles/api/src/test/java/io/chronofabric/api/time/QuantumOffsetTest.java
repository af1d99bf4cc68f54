package io.chronofabric.api.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantumOffsetTest {

    @Test
    void shouldComputeTheSinusoid() {
        QuantumOffset q = new QuantumOffset(1_000, 1, 0); // 1 Hz, 1 us peak
        assertThat(q.offsetAt(0)).isZero();
        assertThat(q.offsetAt(250_000_000L)).isEqualTo(1_000);   // quarter period
        assertThat(q.offsetAt(750_000_000L)).isEqualTo(-1_000);
        // periodic: an epoch-sized time gives the same value as its remainder
        assertThat(q.offsetAt(1_795_853_906_250_000_000L)).isEqualTo(q.offsetAt(250_000_000L));
        assertThat(q.withPhase(Math.PI / 2).offsetAt(0)).isEqualTo(1_000);
        assertThat(QuantumOffset.NONE.offsetAt(123)).isZero();
    }

    @Test
    void shouldRefuseBadParameters() {
        assertThatThrownBy(() -> new QuantumOffset(-1, 1, 0)).hasMessageContaining("amplitude -1.0");
        assertThatThrownBy(() -> new QuantumOffset(1, Double.NaN, 0)).hasMessageContaining("frequency NaN");
        assertThatThrownBy(() -> new QuantumOffset(1, 1, Double.POSITIVE_INFINITY)).hasMessageContaining("phase");
    }
}
