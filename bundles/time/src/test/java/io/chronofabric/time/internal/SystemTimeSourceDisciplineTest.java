package io.chronofabric.time.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The discipline of the system source, driven by hand: a fake monotonic clock and a fake wall
 * clock that runs fast or slow against it and can be stepped; the test calls the discipline step
 * whenever the fake monotonic clock reaches the time the discipline thread would run.
 */
class SystemTimeSourceDisciplineTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    /** A monotonic clock moved by hand and a wall clock running at {@code wallRate} against it, with read noise. */
    static final class FakeClocks {
        long mono = 5 * S;
        long wall = 1_750_000_000L * S;
        double wallRate = 1.0;
        private double fraction;
        private final Random noise = new Random(42);
        long noiseNanos = 2_000;

        void advance(long dMono) {
            mono += dMono;
            double dw = dMono * wallRate + fraction;
            long whole = (long) Math.floor(dw);
            fraction = dw - whole;
            wall += whole;
        }

        long readWall() {
            return wall + (noiseNanos == 0 ? 0 : (long) ((noise.nextDouble() * 2 - 1) * noiseNanos));
        }
    }

    private final FakeClocks clocks = new FakeClocks();
    private final SystemTimeSource source = new SystemTimeSource(clocks::readWall, () -> clocks.mono, true);
    private long lastReading = Long.MIN_VALUE;
    private long maxAbsDrift;

    private void start(SystemTimeSource.Settings settings) {
        source.settings(settings);
        source.startDiscipline();
    }

    private static SystemTimeSource.Settings settings(long intervalMs, long slewPpm, long stepMs) {
        return new SystemTimeSource.Settings(intervalMs * MS, slewPpm, stepMs * MS);
    }

    /** Runs the fake clocks for {@code duration} of monotonic time, reading every ms and checking monotonicity. */
    private void run(long duration) {
        long until = clocks.mono + duration;
        maxAbsDrift = 0;
        while (clocks.mono < until) {
            clocks.advance(MS);
            if (clocks.mono >= source.nextDisciplineMono()) {
                source.discipline();
            }
            long r = source.nowNanos();
            assertThat(r).as("reading at mono %d", clocks.mono).isGreaterThanOrEqualTo(lastReading);
            lastReading = r;
            maxAbsDrift = Math.max(maxAbsDrift, Math.abs(clocks.wall - r));
        }
    }

    /** Source advance divided by wall advance over {@code duration}. */
    private double rateAgainstWall(long duration) {
        long r0 = source.nowNanos();
        long w0 = clocks.wall;
        run(duration);
        return (double) (source.nowNanos() - r0) / (clocks.wall - w0);
    }

    private long drift() {
        return clocks.wall - source.nowNanos();
    }

    @Test
    void shouldConvergeUnderOneMillisecondWhenTheMonotonicClockRunsHalfAPercentSlow() {
        clocks.wallRate = 1.005; // CLOCK_MONOTONIC 0.5% slow: 300 ms a minute
        start(SystemTimeSource.Settings.DEFAULT);
        run(5 * S);
        assertThat(Math.abs(drift())).isLessThan(MS);
        run(120 * S);
        assertThat(maxAbsDrift).as("worst drift in steady state").isLessThan(MS);
        assertThat(source.status().frequencyPpm()).isCloseTo(5000.0, org.assertj.core.data.Offset.offset(20.0));
        HealthReport h = source.health();
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.summary()).containsPattern("frequency correction \\+(4999|5000)\\.\\d ppm").contains("tracking the wall clock")
                .contains("drift ");
    }

    @Test
    void shouldConvergeUnderOneMillisecondWhenTheMonotonicClockRunsFast() {
        clocks.wallRate = 0.995;
        start(SystemTimeSource.Settings.DEFAULT);
        run(5 * S);
        run(120 * S);
        assertThat(maxAbsDrift).isLessThan(MS);
        assertThat(source.status().frequencyPpm()).isCloseTo(-5000.0, org.assertj.core.data.Offset.offset(20.0));
    }

    @Test
    void shouldAbsorbABackwardStepBySlowingDownAtTheBoundedRateNeverGoingBack() {
        clocks.wallRate = 1.005;
        start(SystemTimeSource.Settings.DEFAULT);
        run(20 * S);
        clocks.wall -= 200 * MS;
        run(2 * S);
        HealthReport during = source.health();
        assertThat(during.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(during.summary()).contains("slewing: ahead of the wall clock").contains("slower than it")
                .contains("the slew.max.ppm bound").contains("the wall clock stepped back by 200");
        assertThat(during.details()).anySatisfy(d -> assertThat(d).contains("ahead of the wall clock"));
        for (int i = 0; i < 50; i++) {
            double rate = rateAgainstWall(S);
            // slower than the wall clock, but never by more than slew.max.ppm (1000 ppm) plus rounding
            assertThat(rate).isLessThan(1.0).isGreaterThan(1 - 1_050e-6);
        }
        // after ~52 s at 1000 ppm about 52 ms are absorbed: it slews, it does not jump
        assertThat(-drift()).isBetween(140 * MS, 155 * MS);
        run(170 * S);
        assertThat(Math.abs(drift())).isLessThan(MS);
        run(10 * S);
        assertThat(maxAbsDrift).isLessThan(MS);
        assertThat(source.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(source.health().summary()).contains("tracking the wall clock");
    }

    @Test
    void shouldStepForwardWhenTheWallClockJumpsAheadBeyondTheThreshold() {
        clocks.wallRate = 1.005;
        start(SystemTimeSource.Settings.DEFAULT);
        run(10 * S);
        long before = source.nowNanos();
        clocks.wall += 5 * S;
        run(S);
        assertThat(source.nowNanos() - before).isGreaterThan(5 * S);
        assertThat(Math.abs(drift())).isLessThan(MS);
        assertThat(source.health().summary()).contains("stepped forward by 5000.");
        run(20 * S);
        assertThat(maxAbsDrift).isLessThan(MS);
    }

    @Test
    void shouldSlewAForwardStepBelowTheThresholdAtTheBoundedRate() {
        start(SystemTimeSource.Settings.DEFAULT);
        run(10 * S);
        clocks.wall += 50 * MS;
        run(S);
        for (int i = 0; i < 20; i++) {
            assertThat(rateAgainstWall(S)).isGreaterThan(1.0).isLessThan(1 + 1_050e-6);
        }
        assertThat(drift()).isBetween(25 * MS, 35 * MS);
        assertThat(source.health().summary()).contains("behind the wall clock").contains("faster than it");
        run(60 * S);
        assertThat(Math.abs(drift())).isLessThan(MS);
    }

    @Test
    void shouldNeverStepWhenTheThresholdIsZero() {
        start(settings(250, 1_000, 0));
        run(5 * S);
        clocks.wall += 2 * S;
        run(10 * S);
        assertThat(drift()).isBetween(1_985 * MS, 1_995 * MS);
    }

    @Test
    void shouldKeepReadingMonotonicallyWhenTheDisciplineStopsAndThenResume() {
        clocks.wallRate = 1.002;
        start(SystemTimeSource.Settings.DEFAULT);
        run(10 * S);
        // 5 s without the discipline thread: readers extend the expired segment at its rate
        for (int i = 0; i < 5_000; i++) {
            clocks.advance(MS);
            long r = source.nowNanos();
            assertThat(r).isGreaterThanOrEqualTo(lastReading);
            lastReading = r;
        }
        assertThat(source.extensions()).isBetween(1L, 6L);
        run(10 * S);
        assertThat(maxAbsDrift).isLessThan(MS);
    }

    @Test
    void shouldReportAStalledDiscipline() {
        start(SystemTimeSource.Settings.DEFAULT);
        run(2 * S);
        clocks.advance(10 * S);
        assertThat(source.health().details()).anySatisfy(d -> assertThat(d).contains("discipline thread has not run"));
    }

    @Test
    void shouldSayWhenItIsNotDisciplined() {
        assertThat(source.health().summary()).contains("not disciplined");
        source.startDiscipline();
        source.freeze();
        assertThat(source.health().summary()).contains("not disciplined");
    }

    @Test
    void shouldNeverGoBackwardsAcrossThreadsWhileTheRateChanges() throws Exception {
        // real monotonic clock; a wall clock that a discipline thread keeps moving 80 ms back and forth,
        // so successive segments alternate between +10% and -10% rate
        AtomicLong wallOffset = new AtomicLong();
        SystemTimeSource real = new SystemTimeSource(() -> System.nanoTime() + wallOffset.get(), System::nanoTime, true);
        real.settings(settings(10, 100_000, 0));
        real.startDiscipline();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong highWater = new AtomicLong(Long.MIN_VALUE);
        AtomicReference<String> violation = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(2);
        Runnable reader = () -> {
            try {
                while (!stop.get() && violation.get() == null) {
                    for (int i = 0; i < 1_000; i++) {
                        long seen = highWater.get();
                        long t = real.nowNanos();
                        if (t < seen) {
                            violation.set("read " + t + " after another thread had read " + seen);
                            break;
                        }
                        highWater.accumulateAndGet(t, Math::max);
                    }
                }
            } finally {
                done.countDown();
            }
        };
        Thread r1 = new Thread(reader, "reader-1");
        Thread r2 = new Thread(reader, "reader-2");
        r1.start();
        r2.start();
        int segments = 0;
        long deadline = System.nanoTime() + 20 * S;
        while (segments < 150 && System.nanoTime() < deadline) {
            if (System.nanoTime() >= real.nextDisciplineMono()) {
                real.discipline();
                segments++;
                if (segments % 10 == 0) {
                    wallOffset.set(segments % 20 == 0 ? 80 * MS : -80 * MS);
                }
            } else {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        stop.set(true);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(violation.get()).isNull();
        assertThat(segments).isGreaterThan(20);
    }

    @Test
    void shouldAllocateNothingOnTheReadPath() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) mx;
        SystemTimeSource real = new SystemTimeSource();
        real.startDiscipline(); // a finite segment, as when active
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += real.nowNanos();
        }
        long id = Thread.currentThread().getId();
        long before = hotspot.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000_000; i++) {
            sink += real.nowNanos();
        }
        long allocated = hotspot.getThreadAllocatedBytes(id) - before;
        assertThat(sink).isNotZero();
        // at most a few extensions (one small segment per second, the discipline not running here)
        assertThat(allocated).isLessThan(4_096);
    }

    @Test
    void shouldReadTheDisciplineSettings() {
        Map<String, Object> raw = Map.of("discipline.interval.ms", "100", "slew.max.ppm", "500", "step.threshold.ms", "0");
        assertThat(SystemTimeSource.readSettings(TestConfigs.of(raw), raw))
                .isEqualTo(new SystemTimeSource.Settings(100 * MS, 500, 0));
        assertThat(SystemTimeSource.readSettings(TestConfigs.of(Map.of()), Map.of()))
                .isEqualTo(SystemTimeSource.Settings.DEFAULT);
    }

    @Test
    void shouldRefuseBadDisciplineSettingsNamingKeyAndValue() {
        Map<String, Object> interval = Map.of("discipline.interval.ms", "5");
        assertThatThrownBy(() -> SystemTimeSource.readSettings(TestConfigs.of(interval), interval))
                .hasMessageContaining("discipline.interval.ms=5").hasMessageContaining("10..10000");
        Map<String, Object> slew = Map.of("slew.max.ppm", "0");
        assertThatThrownBy(() -> SystemTimeSource.readSettings(TestConfigs.of(slew), slew))
                .hasMessageContaining("slew.max.ppm=0").hasMessageContaining("1..100000");
        Map<String, Object> step = Map.of("step.threshold.ms", "-1");
        assertThatThrownBy(() -> SystemTimeSource.readSettings(TestConfigs.of(step), step))
                .hasMessageContaining("step.threshold.ms=-1");
        Map<String, Object> text = Map.of("slew.max.ppm", "lots");
        assertThatThrownBy(() -> SystemTimeSource.readSettings(TestConfigs.of(text), text))
                .hasMessageContaining("slew.max.ppm=lots").hasMessageContaining("not an integer");
    }

    @Test
    void shouldKeepTheLastGoodSettingsWhenAValueIsRefused() {
        Map<String, Object> good = Map.of("slew.max.ppm", "2000");
        source.modified(TestConfigs.of(good), good);
        Map<String, Object> bad = Map.of("slew.max.ppm", "-3");
        source.modified(TestConfigs.of(bad), bad);
        // the refused value leaves 2000 ppm in force: a 100 ms backward step slews at ~2000 ppm
        source.startDiscipline();
        run(5 * S);
        clocks.wall -= 100 * MS;
        run(2 * S);
        assertThat(rateAgainstWall(10 * S)).isBetween(1 - 2_050e-6, 1 - 1_950e-6);
    }
}
