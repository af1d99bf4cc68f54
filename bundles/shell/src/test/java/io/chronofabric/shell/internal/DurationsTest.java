package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void shouldParseEveryUnit() {
        assertThat(Durations.parseNanos("250ns")).isEqualTo(250);
        assertThat(Durations.parseNanos("10us")).isEqualTo(10_000);
        assertThat(Durations.parseNanos("5ms")).isEqualTo(5_000_000);
        assertThat(Durations.parseNanos("2s")).isEqualTo(2_000_000_000L);
        assertThat(Durations.parseNanos("1m")).isEqualTo(60_000_000_000L);
        assertThat(Durations.parseNanos(" 1H ")).isEqualTo(3_600_000_000_000L);
    }

    @Test
    void shouldRefuseBadDurationsNamingTheText() {
        assertThatThrownBy(() -> Durations.parseNanos("-5ms")).hasMessageContaining("'-5ms'");
        assertThatThrownBy(() -> Durations.parseNanos("5 parsecs")).hasMessageContaining("'5 parsecs'");
        assertThatThrownBy(() -> Durations.parseNanos("99999999999999999999s")).hasMessageContaining("too large");
    }

    @Test
    void shouldFormatWithAReadableUnit() {
        assertThat(Durations.format(999)).isEqualTo("999 ns");
        assertThat(Durations.format(1_500)).isEqualTo("1.50 us");
        assertThat(Durations.format(500_000_000)).isEqualTo("500.00 ms");
        assertThat(Durations.format(2_000_000_000L)).isEqualTo("2.000 s");
    }

    @Test
    void shouldFindPortsByName() {
        assertThat(Ports.byName("HLC")).isPresent();
        assertThat(Ports.byName("warp-drive")).isEmpty();
        assertThat(Ports.names()).contains("time-source", "bus", "ledger", "consensus", "compute");
    }
}
