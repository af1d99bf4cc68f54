package io.chronofabric.time.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SystemTimeSourceTest {

    private final SystemTimeSource time = new SystemTimeSource();

    @Test
    void shouldReadEpochNanosecondsCloseToTheWallClock() {
        Instant wall = Instant.now();
        long wallNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        assertThat(Math.abs(time.nowNanos() - wallNanos)).isLessThan(1_000_000_000L);
        assertThat(Math.abs(time.driftNanos())).isLessThan(1_000_000_000L);
    }

    @Test
    void shouldNeverGoBackwards() {
        long prev = time.nowNanos();
        for (int i = 0; i < 1_000_000; i++) {
            long now = time.nowNanos();
            assertThat(now).isGreaterThanOrEqualTo(prev);
            prev = now;
        }
    }

    @Test
    void shouldHaveCoherentCheckpoints() {
        var a = time.createCheckpoint("start");
        var b = time.createCheckpoint("end");
        assertThat(time.validateCoherence(a, b)).isTrue();
        assertThat(b.nanos()).isGreaterThanOrEqualTo(a.nanos());
        assertThat(time.kind()).isEqualTo("system");
    }
}
