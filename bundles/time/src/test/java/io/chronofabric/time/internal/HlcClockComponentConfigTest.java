package io.chronofabric.time.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HlcClockComponentConfigTest {

    @Test
    void shouldReadValidSettings() {
        Map<String, Object> raw = Map.of("node.id", "42", "max.offset.ms", "250");
        TimeConfig c = TestConfigs.of(raw);
        assertThat(HlcClockComponent.readNodeId(c, raw)).isEqualTo(42);
        assertThat(HlcClockComponent.readMaxOffsetNanos(c, raw)).isEqualTo(250_000_000L);
    }

    @Test
    void shouldRefuseNodeIdOutOfRangeNamingKeyAndValue() {
        Map<String, Object> raw = Map.of("node.id", "65536");
        assertThatThrownBy(() -> HlcClockComponent.readNodeId(TestConfigs.of(raw), raw))
                .hasMessageContaining("node.id=65536").hasMessageContaining("0..65535");
    }

    @Test
    void shouldRefuseNonNumericNodeIdNamingKeyAndValue() {
        Map<String, Object> raw = Map.of("node.id", "three");
        assertThatThrownBy(() -> HlcClockComponent.readNodeId(TestConfigs.of(raw), raw))
                .hasMessageContaining("node.id=three").hasMessageContaining("not an integer");
    }

    @Test
    void shouldRefuseNegativeOffsetNamingKeyAndValue() {
        Map<String, Object> raw = Map.of("max.offset.ms", "-5");
        assertThatThrownBy(() -> HlcClockComponent.readMaxOffsetNanos(TestConfigs.of(raw), raw))
                .hasMessageContaining("max.offset.ms=-5").hasMessageContaining("negative");
    }

    @Test
    void shouldRefuseBadQuantumOffset() {
        Map<String, Object> raw = Map.of("quantum.amplitude.ns", "-1");
        assertThatThrownBy(() -> QuantumOffsets.from(TestConfigs.of(raw), raw))
                .hasMessageContaining("quantum.amplitude.ns=-1");
    }
}
