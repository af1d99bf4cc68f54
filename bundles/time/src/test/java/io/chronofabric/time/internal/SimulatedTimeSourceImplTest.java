package io.chronofabric.time.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.TimeCheckpoint;
import org.junit.jupiter.api.Test;

class SimulatedTimeSourceImplTest {

    private final SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000);

    @Test
    void shouldMoveOnlyWhenTold() {
        assertThat(time.nowNanos()).isEqualTo(1_000);
        assertThat(time.nowNanos()).isEqualTo(1_000);
        assertThat(time.advance(500)).isEqualTo(1_500);
        assertThat(time.advanceTo(2_000)).isEqualTo(2_000);
        assertThat(time.now().nanos()).isEqualTo(2_000);
        assertThat(time.hasHardwareTiming()).isFalse();
        assertThat(time.kind()).isEqualTo("simulated");
    }

    @Test
    void shouldRefuseToAdvancePastTheEndOfTimeNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> time.advance(Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would pass Long.MAX_VALUE");
        org.assertj.core.api.Assertions.assertThat(time.nowNanos()).as("nothing moved").isEqualTo(1_000);
    }

    @Test
    void shouldRefuseToRunBackwards() {
        assertThatThrownBy(() -> time.advance(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> time.advanceTo(999)).isInstanceOf(TemporalViolationException.class)
                .hasMessageContaining("1000").hasMessageContaining("999");
        assertThat(time.nowNanos()).isEqualTo(1_000);
    }

    @Test
    void shouldValidateCheckpointsOfThisSourceInOrder() {
        TimeCheckpoint a = time.createCheckpoint("a");
        time.advance(10);
        TimeCheckpoint b = time.createCheckpoint("b");
        assertThat(time.validateCoherence(a, b)).isTrue();
        assertThat(time.validateCoherence(b, a)).isFalse();
        TimeCheckpoint foreign = new SimulatedTimeSourceImpl(0).createCheckpoint("x");
        assertThat(time.validateCoherence(a, foreign)).isFalse();
        assertThat(time.validateCoherence(null, b)).isFalse();
    }
}
