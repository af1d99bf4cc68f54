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

    @Test
    void shouldDisciplineOnItsOwnThreadOnceActivatedAndFreezeWhenDeactivated() throws InterruptedException {
        SystemTimeSource active = new SystemTimeSource();
        java.util.Map<String, Object> raw = java.util.Map.of("discipline.interval.ms", "10");
        active.activate(TestConfigs.of(raw), raw);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (active.status() == null && System.nanoTime() < deadline) {
            Thread.sleep(5); // polling for the first discipline step, with a generous deadline
        }
        assertThat(active.status()).as("a discipline step within 20 s").isNotNull();
        assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(
                t -> assertThat(t.getName()).isEqualTo("chronofabric-time-discipline"));
        long before = active.nowNanos();
        active.deactivate();
        assertThat(active.nowNanos()).isGreaterThanOrEqualTo(before);
        assertThat(active.health().summary()).contains("not disciplined");
        assertThat(Math.abs(active.driftNanos())).isLessThan(1_000_000_000L);
    }
}
