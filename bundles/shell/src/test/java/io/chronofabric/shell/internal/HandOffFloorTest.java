package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HandOffFloorTest {

    @ParameterizedTest
    @ValueSource(strings = {"busy-spin", "yield", "park", "backoff", "BACKOFF"})
    void shouldHandOverEveryItemWithEachWaitStrategy(String strategy) {
        try (HandOffFloor floor = new HandOffFloor(strategy, 20_000, 200_000)) {
            assertThat(floor.throughput(50_000, 4096)).isPositive();
            assertThat(floor.taken()).isEqualTo(50_000);
            long[] one = floor.latency(500);
            assertThat(one).hasSize(500);
            assertThat(java.util.Arrays.stream(one).min().getAsLong()).isNotNegative();
            long[] paced = floor.latencyAtRate(200, 20_000);
            assertThat(paced).hasSize(200);
            assertThat(floor.taken()).isEqualTo(50_000 + 500 + 200);
        }
    }

    @Test
    void shouldNameAnUnknownWaitStrategy() {
        assertThatThrownBy(() -> new HandOffFloor("sleepy", 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sleepy'").hasMessageContaining("backoff");
    }
}
