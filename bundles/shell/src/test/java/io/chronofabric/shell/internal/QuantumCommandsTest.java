package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantumCommandsTest {

    @Test
    void shouldWriteKetsMostSignificantQubitFirstAndAmplitudesWithSixDecimals() {
        assertThat(QuantumCommandSupport.ket(3, 3)).isEqualTo("|011>");
        assertThat(QuantumCommandSupport.ket(0, 2)).isEqualTo("|00>");
        assertThat(QuantumCommandSupport.complex(Math.sqrt(0.5), 0)).isEqualTo("0.707107+0.000000i");
        assertThat(QuantumCommandSupport.complex(-0.5, -0.25)).isEqualTo("-0.500000-0.250000i");
        assertThat(QuantumCommandSupport.complex(-1e-12, -1e-12)).isEqualTo("0.000000+0.000000i");
    }

    @Test
    void shouldRefuseBenchWidthsOutsideTheSimulatorsRange() {
        assertThat(QuantumBenchCommand.parseWidths("16, 20", 28)).containsExactly(16, 20);
        assertThatThrownBy(() -> QuantumBenchCommand.parseWidths("16,29", 28)).hasMessageContaining("29 is out of range 2..28");
        assertThatThrownBy(() -> QuantumBenchCommand.parseWidths("x", 28)).hasMessageContaining("'x' is not a number");
        assertThat(QuantumBenchCommand.median(new double[] {3, 1, 2})).isEqualTo(2);
    }
}
