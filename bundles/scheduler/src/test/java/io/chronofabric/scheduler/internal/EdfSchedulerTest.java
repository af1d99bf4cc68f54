package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.scheduler.TaskPriority;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.SimulatedTimeSourceImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EdfSchedulerTest {

    private static final long MS = 1_000_000L;
    private final SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000_000 * MS);
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<EdfScheduler> schedulers = new CopyOnWriteArrayList<>();

    private EdfScheduler scheduler(int workers, double bound, MissPolicy policy, Function<String, QuantumOffset> offsets,
            TimeSource ts) {
        SchedulerSettings s = new SchedulerSettings(workers, bound, policy, TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1),
                1000, 0, 1);
        EdfScheduler e = new EdfScheduler(s, ts, () -> OptimizationHint.BALANCED, offsets);
        schedulers.add(e);
        return e;
    }

    private EdfScheduler simulated() {
        return scheduler(1, 0.9, MissPolicy.RUN_LATE, n -> QuantumOffset.NONE, time);
    }

    @AfterEach
    void close() {
        schedulers.forEach(EdfScheduler::close);
    }

    private Task oneShot(String name, long deadlineFromNow, TaskPriority p) {
        return Task.builder(name, () -> ran.add(name)).priority(p).deadline(time.nowNanos() + deadlineFromNow)
                .estimate(Duration.ofNanos(MS / 10)).build();
    }

    private static TaskOutcome outcome(ScheduledTask t) {
        return t.outcome().toCompletableFuture().getNow(null);
    }

    @Test
    void shouldRunEarliestDeadlineFirst() {
        EdfScheduler s = simulated();
        s.schedule(oneShot("a", 300 * MS, TaskPriority.NORMAL));
        s.schedule(oneShot("b", 100 * MS, TaskPriority.LOW));
        s.schedule(oneShot("c", 200 * MS, TaskPriority.CRITICAL));
        assertThat(s.processTemporalQueue()).isEqualTo(3);
        assertThat(ran).containsExactly("b", "c", "a");
    }

    @Test
    void shouldRunAtMostTheRequestedNumberOfDueJobsEarliestDeadlineFirst() {
        EdfScheduler s = simulated();
        s.schedule(oneShot("late", 300 * MS, TaskPriority.NORMAL));
        s.schedule(oneShot("early", 100 * MS, TaskPriority.NORMAL));
        s.schedule(oneShot("middle", 200 * MS, TaskPriority.NORMAL));
        assertThat(s.runDue(1)).isEqualTo(1);
        assertThat(ran).containsExactly("early");
        assertThat(s.runDue(0)).isZero();
        assertThat(s.runDue(5)).isEqualTo(2);
        assertThat(ran).containsExactly("early", "middle", "late");
    }

    @Test
    void shouldBreakTiesByPriorityThenSubmissionOrder() {
        EdfScheduler s = simulated();
        s.schedule(oneShot("normal-1", 100 * MS, TaskPriority.NORMAL));
        s.schedule(oneShot("low", 100 * MS, TaskPriority.LOW));
        s.schedule(oneShot("high", 100 * MS, TaskPriority.HIGH));
        s.schedule(oneShot("normal-2", 100 * MS, TaskPriority.NORMAL));
        s.processTemporalQueue();
        assertThat(ran).containsExactly("high", "normal-1", "normal-2", "low");
    }

    @Test
    void shouldNotRunBeforeReleaseAndRunPeriodicJobsEachPeriod() {
        EdfScheduler s = simulated();
        ScheduledTask p = s.schedule(Task.builder("tick", () -> ran.add("tick")).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(1)).build());
        s.schedule(Task.builder("later", () -> ran.add("later")).releaseAt(time.nowNanos() + 25 * MS)
                .deadline(time.nowNanos() + 40 * MS).estimate(Duration.ofMillis(1)).build());
        assertThat(s.processTemporalQueue()).isEqualTo(1);
        time.advance(10 * MS);
        s.processTemporalQueue();
        time.advance(10 * MS);
        s.processTemporalQueue();
        assertThat(ran).containsExactly("tick", "tick", "tick");
        time.advance(5 * MS);
        s.processTemporalQueue();
        assertThat(ran).containsExactly("tick", "tick", "tick", "later");
        assertThat(p.nextDeadlineNanos()).isEqualTo(1_000_000 * MS + 40 * MS);
        assertThat(s.stats().completed()).isEqualTo(4);
        assertThat(s.stats().missed()).isZero();
    }

    @Test
    void shouldShiftPeriodicReleasesByEachTasksOffset() {
        QuantumOffset q1 = new QuantumOffset(2 * MS, 25, 0);
        QuantumOffset q2 = new QuantumOffset(2 * MS, 25, Math.PI);
        EdfScheduler s = scheduler(1, 0.9, MissPolicy.RUN_LATE, n -> n.equals("one") ? q1 : q2, time);
        long start = time.nowNanos();
        ScheduledTask one = s.schedule(Task.builder("one", () -> ran.add("one")).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(1)).build());
        ScheduledTask two = s.schedule(Task.builder("two", () -> ran.add("two")).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(1)).build());
        time.advance(3 * MS);
        s.processTemporalQueue();
        // job 1 is due at nominal start + 10 ms shifted by offsetAt(start + 10 ms), capped at period / 4
        long nominal = start + 10 * MS;
        assertThat(one.nextDeadlineNanos()).isEqualTo(nominal + clamp(q1.offsetAt(nominal)) + 10 * MS);
        assertThat(two.nextDeadlineNanos()).isEqualTo(nominal + clamp(q2.offsetAt(nominal)) + 10 * MS);
        assertThat(one.nextDeadlineNanos()).isNotEqualTo(two.nextDeadlineNanos());
    }

    private static long clamp(long shift) {
        return Math.max(-10 * MS / 4, Math.min(10 * MS / 4, shift));
    }

    @Test
    void shouldRefuseTasksBeyondTheUtilisationBoundAndKeepTheAdmittedOnes() {
        EdfScheduler s = simulated();
        ScheduledTask first = s.schedule(Task.builder("half", () -> { }).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(5)).build());
        assertThat(s.load()).isEqualTo(0.5);
        assertThatThrownBy(() -> s.schedule(Task.builder("too-much", () -> { })
                .periodic(Duration.ofMillis(10), Duration.ofMillis(10)).estimate(Duration.ofMillis(5)).build()))
                .isInstanceOf(ResourceExhaustedException.class)
                .hasMessageContaining("'too-much'").hasMessageContaining("1.000").hasMessageContaining("0.90");
        assertThat(s.pending()).containsExactly(first);
        s.processTemporalQueue();
        assertThat(s.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldRunLateJobsAndCountTheMissUnderRunLate() {
        EdfScheduler s = simulated();
        ScheduledTask t = s.schedule(oneShot("slowpoke", 10 * MS, TaskPriority.NORMAL));
        time.advance(20 * MS);
        s.processTemporalQueue();
        assertThat(ran).containsExactly("slowpoke");
        assertThat(outcome(t).status()).isEqualTo(TaskOutcome.Status.LATE);
        assertThat(outcome(t).latenessNanos()).isEqualTo(10 * MS);
        assertThat(s.stats().missesByTask()).isEqualTo(Map.of("slowpoke", 1L));
    }

    @Test
    void shouldSkipJobsThatCannotStartInTimeUnderSkip() {
        EdfScheduler s = scheduler(1, 0.9, MissPolicy.SKIP, n -> QuantumOffset.NONE, time);
        ScheduledTask t = s.schedule(oneShot("skipped", 10 * MS, TaskPriority.NORMAL));
        ScheduledTask own = s.schedule(Task.builder("own-policy", () -> ran.add("own-policy")).deadline(time.nowNanos() + 10 * MS)
                .estimate(Duration.ofNanos(MS / 10)).onMiss(MissPolicy.RUN_LATE).build());
        time.advance(20 * MS);
        s.processTemporalQueue();
        assertThat(ran).containsExactly("own-policy");
        assertThat(outcome(t).status()).isEqualTo(TaskOutcome.Status.SKIPPED);
        assertThat(outcome(own).status()).isEqualTo(TaskOutcome.Status.LATE);
        assertThat(s.stats().missed()).isEqualTo(2);
    }

    @Test
    void shouldCountAJobThatFinishesAfterItsDeadline() {
        EdfScheduler s = simulated();
        ScheduledTask t = s.schedule(Task.builder("overrun", () -> time.advance(15 * MS)).deadline(time.nowNanos() + 10 * MS)
                .estimate(Duration.ofMillis(5)).build());
        s.processTemporalQueue();
        assertThat(outcome(t).status()).isEqualTo(TaskOutcome.Status.LATE);
        assertThat(outcome(t).latenessNanos()).isEqualTo(5 * MS);
    }

    @Test
    void shouldCancelOneShotAndPeriodicTasks() {
        EdfScheduler s = simulated();
        ScheduledTask once = s.schedule(oneShot("never", 10 * MS, TaskPriority.NORMAL));
        ScheduledTask periodic = s.schedule(Task.builder("tick", () -> ran.add("tick")).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(1)).build());
        assertThat(s.cancel(once.id())).isTrue();
        assertThat(s.cancel(once.id())).isFalse();
        s.processTemporalQueue();
        assertThat(ran).containsExactly("tick");
        assertThat(periodic.cancel()).isTrue();
        time.advance(50 * MS);
        s.processTemporalQueue();
        assertThat(ran).containsExactly("tick");
        assertThat(outcome(once).status()).isEqualTo(TaskOutcome.Status.CANCELLED);
        assertThat(outcome(periodic).status()).isEqualTo(TaskOutcome.Status.CANCELLED);
        assertThat(s.load()).isZero();
    }

    @Test
    void shouldRecordFailuresAndRefuseDeadlinesInThePast() {
        EdfScheduler s = simulated();
        ScheduledTask t = s.schedule(Task.builder("broken", () -> {
            throw new IllegalStateException("boom");
        }).deadline(time.nowNanos() + 10 * MS).estimate(Duration.ofMillis(1)).build());
        s.processTemporalQueue();
        assertThat(outcome(t).status()).isEqualTo(TaskOutcome.Status.FAILED);
        assertThat(outcome(t).failure()).hasMessage("boom");
        assertThat(s.stats().failed()).isEqualTo(1);
        assertThatThrownBy(() -> s.schedule(Task.builder("past", () -> { }).deadline(time.nowNanos() - 1).estimate(Duration.ofMillis(1)).build()))
                .isInstanceOf(TemporalViolationException.class).hasMessageContaining("'past'").hasMessageContaining("in the past");
    }

    @Test
    void shouldReportEveryAdmittedTaskWhenStopping() {
        EdfScheduler s = simulated();
        ScheduledTask a = s.schedule(oneShot("pending", 100 * MS, TaskPriority.NORMAL));
        ScheduledTask b = s.schedule(Task.builder("tick", () -> { }).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(1)).build());
        s.close();
        assertThat(outcome(a).status()).isEqualTo(TaskOutcome.Status.ABANDONED);
        assertThat(outcome(b).status()).isEqualTo(TaskOutcome.Status.ABANDONED);
        assertThatThrownBy(() -> s.schedule(oneShot("late", 10 * MS, TaskPriority.NORMAL)))
                .isInstanceOf(ServiceUnavailableException.class).hasMessageContaining("stopping");
    }

    @Test
    void shouldRunTasksOnWorkersWithTheSystemClock() throws Exception {
        SystemTimeSource sys = new SystemTimeSource();
        EdfScheduler s = scheduler(2, 0.9, MissPolicy.RUN_LATE, n -> QuantumOffset.NONE, sys);
        ScheduledTask t = s.schedule(Task.builder("real", () -> ran.add("real")).deadline(sys.nowNanos() + 2_000 * MS)
                .estimate(Duration.ofMillis(1)).build());
        TaskOutcome o = t.outcome().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(TaskOutcome.Status.MET);
        assertThat(ran).containsExactly("real");
        ScheduledTask delayed = s.schedule(Task.builder("delayed", () -> ran.add("delayed")).releaseAt(sys.nowNanos() + 50 * MS)
                .deadline(sys.nowNanos() + 2_000 * MS).estimate(Duration.ofMillis(1)).build());
        TaskOutcome d = delayed.outcome().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(d.startNanos()).isGreaterThanOrEqualTo(d.releaseNanos());
    }

    @Test
    void shouldRunReadyJobsOnEveryWorkerAtOnce() throws Exception {
        // Each job waits at a barrier for the other: both finish only if two workers run them at the same time,
        // so a worker that takes one job must wake an idle worker for the next.
        SystemTimeSource sys = new SystemTimeSource();
        EdfScheduler s = scheduler(2, 0.9, MissPolicy.RUN_LATE, n -> QuantumOffset.NONE, sys);
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
        Runnable meet = () -> {
            try {
                barrier.await(5, TimeUnit.SECONDS);
                ran.add(Thread.currentThread().getName());
            } catch (Exception e) {
                throw new IllegalStateException("the other job never ran alongside this one", e);
            }
        };
        Thread.sleep(100); // both workers are idle and waiting
        long release = sys.nowNanos() + 30 * MS; // released together: one worker moves both to the ready queue
        ScheduledTask a = s.schedule(Task.builder("a", meet).releaseAt(release).deadline(release + 10_000 * MS)
                .estimate(Duration.ofMillis(1)).build());
        ScheduledTask b = s.schedule(Task.builder("b", meet).releaseAt(release).deadline(release + 10_000 * MS)
                .estimate(Duration.ofMillis(1)).build());
        assertThat(a.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskOutcome.Status.MET);
        assertThat(b.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskOutcome.Status.MET);
        assertThat(ran).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void shouldChangeTheWorkerCountWhileRunningAndKeepEveryAdmittedTask() throws Exception {
        SystemTimeSource sys = new SystemTimeSource();
        EdfScheduler s = scheduler(1, 0.9, MissPolicy.RUN_LATE, n -> QuantumOffset.NONE, sys);
        assertThat(s.workerCount()).isEqualTo(1);
        ScheduledTask periodic = s.schedule(Task.builder("tick", () -> ran.add("tick")).periodic(Duration.ofMillis(5), Duration.ofMillis(5))
                .estimate(Duration.ofMillis(1)).build());

        s.reconfigure(new SchedulerSettings(3, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1),
                1000, 0, 1));
        assertThat(s.workerCount()).isEqualTo(3);
        // three jobs that can only finish together prove three workers run them
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(3);
        List<ScheduledTask> together = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            together.add(s.schedule(Task.builder("meet-" + i, () -> {
                try {
                    barrier.await(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("fewer than three workers ran the jobs", e);
                }
            }).deadline(sys.nowNanos() + 10_000 * MS).estimate(Duration.ofMillis(1)).build()));
        }
        for (ScheduledTask t : together) {
            assertThat(t.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskOutcome.Status.MET);
        }

        s.reconfigure(new SchedulerSettings(1, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1),
                1000, 0, 1));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (s.workerCount() > 1 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(s.workerCount()).isEqualTo(1);
        int before = ran.size();
        Thread.sleep(50);
        assertThat(periodic.isDone()).isFalse();
        assertThat(ran.size()).as("the periodic task keeps running on the remaining worker").isGreaterThan(before);
    }
}
