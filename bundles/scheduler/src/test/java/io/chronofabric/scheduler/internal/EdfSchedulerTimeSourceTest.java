package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler keeps its tasks when its time source goes, runs on the fallback, and follows a new source. */
class EdfSchedulerTimeSourceTest {

    private static final long MS = 1_000_000L;
    private final AtomicLong ticker = new AtomicLong(5_000 * MS);
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private EdfScheduler scheduler;

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private EdfScheduler scheduler(int workers, TimeSource ts) {
        scheduler = new EdfScheduler(new SchedulerSettings(workers, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(1), 1000, 0, 1), ts, () -> OptimizationHint.BALANCED, n -> QuantumOffset.NONE, ticker::get, null);
        return scheduler;
    }

    private Task tick(String name, long periodMs) {
        return Task.builder(name, () -> ran.add(name)).periodic(Duration.ofMillis(periodMs), Duration.ofMillis(periodMs))
                .estimate(Duration.ofMillis(1)).build();
    }

    @Test
    void shouldKeepAdmittedTasksWhenTheSourceGoesAndRunThemOnTheFallbackFromTheLastReading() {
        FakeTimeSource sim = FakeTimeSource.simulated(1_000_000 * MS);
        EdfScheduler s = scheduler(1, sim);
        ScheduledTask t = s.schedule(tick("tick", 10));
        s.processTemporalQueue();
        assertThat(ran).containsExactly("tick");
        long nextDeadline = t.nextDeadlineNanos();
        sim.advance(3 * MS);

        s.setTimeSource(null);

        assertThat(s.stats().timeSource()).isEqualTo(SchedulerStats.NO_TIME_SOURCE);
        assertThat(s.pending()).containsExactly(t);
        assertThat(t.isDone()).isFalse();
        assertThat(t.nextDeadlineNanos()).isEqualTo(nextDeadline);
        // the fallback continues from the last reading (3 ms after the first job) at the ticker's pace: 7 ms more make job 1 due
        ticker.addAndGet(6 * MS);
        assertThat(s.runDue(10)).isZero();
        ticker.addAndGet(1 * MS);
        assertThat(s.runDue(10)).isEqualTo(1);
        assertThat(ran).containsExactly("tick", "tick");
        assertThat(s.noTimeSourceForNanos()).isEqualTo(7 * MS);
    }

    @Test
    void shouldContinueOnANewSourceAndReBaseThePendingJobsWhenItsReadingJumps() {
        FakeTimeSource sim = FakeTimeSource.simulated(1_000_000 * MS);
        EdfScheduler s = scheduler(1, sim);
        ScheduledTask t = s.schedule(tick("tick", 10));
        ScheduledTask once = s.schedule(Task.builder("once", () -> ran.add("once")).deadline(sim.nowNanos() + 50 * MS)
                .releaseAt(sim.nowNanos() + 20 * MS).estimate(Duration.ofMillis(1)).build());
        s.processTemporalQueue(); // tick job 0
        sim.advance(4 * MS);
        s.setTimeSource(null);
        ticker.addAndGet(2 * MS); // 6 ms after start on the fallback: tick job 1 due in 4 ms, once released in 14 ms

        FakeTimeSource other = FakeTimeSource.simulated(7_000_000 * MS); // a reading 6,000 s later: re-based
        s.setTimeSource(other);

        assertThat(s.stats().timeSource()).isEqualTo("simulated");
        assertThat(t.nextDeadlineNanos()).isEqualTo(other.nowNanos() + 4 * MS + 10 * MS);
        other.advance(3 * MS);
        assertThat(s.processTemporalQueue()).isZero();
        other.advance(1 * MS);
        assertThat(s.processTemporalQueue()).isEqualTo(1);
        other.advance(10 * MS);
        assertThat(s.processTemporalQueue()).as("tick job 2 and the one-shot released 14 ms after the switch").isEqualTo(2);
        assertThat(ran).containsExactly("tick", "tick", "tick", "once");
        TaskOutcome o = once.outcome().toCompletableFuture().getNow(null);
        assertThat(o.status()).isEqualTo(TaskOutcome.Status.MET);
        assertThat(o.deadlineNanos()).as("the one-shot kept the 44 ms it had left").isEqualTo(other.nowNanos() - 14 * MS + 44 * MS);
    }

    @Test
    void shouldKeepAbsoluteTimesWhenTheNewSourceAgreesWithinTheThreshold() {
        FakeTimeSource sim = FakeTimeSource.simulated(1_000_000 * MS);
        EdfScheduler s = scheduler(1, sim);
        ScheduledTask once = s.schedule(Task.builder("once", () -> ran.add("once")).deadline(sim.nowNanos() + 50 * MS)
                .estimate(Duration.ofMillis(1)).build());
        long deadline = once.nextDeadlineNanos();
        FakeTimeSource close = FakeTimeSource.simulated(sim.nowNanos() + 300 * MS); // within the default 1 s threshold
        s.setTimeSource(close);
        assertThat(once.nextDeadlineNanos()).isEqualTo(deadline);
        s.processTemporalQueue();
        assertThat(once.outcome().toCompletableFuture().getNow(null).status()).isEqualTo(TaskOutcome.Status.LATE);
    }

    @Test
    void shouldStartWithoutASourceOnTheWallClockAndFollowTheFirstOne() {
        EdfScheduler s = scheduler(1, null);
        assertThat(s.stats().timeSource()).isEqualTo(SchedulerStats.NO_TIME_SOURCE);
        long wall = System.currentTimeMillis() * MS;
        // released 400 ms from now, so the worker (on the wall clock until a source appears) does not run it meanwhile
        ScheduledTask once = s.schedule(Task.builder("early", () -> ran.add("early")).releaseAt(wall + 400 * MS)
                .deadline(wall + 60_000 * MS).estimate(Duration.ofMillis(1)).build());
        assertThat(once.isDone()).isFalse();
        s.setTimeSource(FakeTimeSource.simulated(wall + 800 * MS)); // within the 1 s re-base threshold: times kept
        assertThat(s.stats().timeSource()).isEqualTo("simulated");
        assertThat(s.processTemporalQueue()).isEqualTo(1);
        assertThat(ran).containsExactly("early");
    }

    @Test
    void shouldKeepAPeriodicTaskFiringOnWorkersThroughASwapOfARealTimeSource() throws Exception {
        FakeTimeSource sys = FakeTimeSource.realTime("system", 1_700_000_000_000L * MS);
        scheduler = new EdfScheduler(new SchedulerSettings(1, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(1), 1000, 0, 1), sys, () -> OptimizationHint.BALANCED, n -> QuantumOffset.NONE);
        EdfScheduler s = scheduler;
        CountDownLatch[] phase = {new CountDownLatch(3)};
        ScheduledTask t = s.schedule(Task.builder("tick", () -> phase[0].countDown()).periodic(Duration.ofMillis(5), Duration.ofMillis(5))
                .estimate(Duration.ofMillis(1)).build());
        assertThat(phase[0].await(10, TimeUnit.SECONDS)).isTrue();
        phase[0] = new CountDownLatch(3);
        s.setTimeSource(null);
        assertThat(phase[0].await(10, TimeUnit.SECONDS)).as("fires on the fallback").isTrue();
        phase[0] = new CountDownLatch(3);
        s.setTimeSource(FakeTimeSource.realTime("system", 1_000_000 * MS)); // a very different base: re-based, no burst, no stall
        assertThat(phase[0].await(10, TimeUnit.SECONDS)).as("fires on the new source").isTrue();
        assertThat(t.isDone()).isFalse();
        assertThat(s.stats().timeSource()).isEqualTo("system");
    }
}
