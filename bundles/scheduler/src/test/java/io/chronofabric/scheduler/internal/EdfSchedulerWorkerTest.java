package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeCheckpoint;
import io.chronofabric.api.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Worker threads: interrupts, deaths and the live count. */
class EdfSchedulerWorkerTest {

    private static final long MS = 1_000_000L;
    private final FakeTimeSource sys = FakeTimeSource.realTime("system", 1_700_000_000_000L * MS);
    private EdfScheduler scheduler;

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private EdfScheduler scheduler(int workers) {
        scheduler = new EdfScheduler(new SchedulerSettings(workers, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(1), 1000, 0, 1), sys, () -> OptimizationHint.BALANCED, n -> QuantumOffset.NONE);
        return scheduler;
    }

    private Task once(String name, Runnable work) {
        return Task.builder(name, work).deadline(sys.nowNanos() + 10_000 * MS).estimate(Duration.ofMillis(1)).build();
    }

    private static TaskOutcome await(ScheduledTask t) throws Exception {
        return t.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldKeepTheWorkerAliveAndNotLeakTheInterruptWhenATaskInterruptsItself() throws Exception {
        EdfScheduler s = scheduler(1);
        ScheduledTask rude = s.schedule(once("rude", () -> Thread.currentThread().interrupt()));
        assertThat(await(rude).status()).isEqualTo(TaskOutcome.Status.MET);
        AtomicBoolean interruptedSeen = new AtomicBoolean(true);
        ScheduledTask next = s.schedule(once("next", () -> interruptedSeen.set(Thread.currentThread().isInterrupted())));
        assertThat(await(next).status()).as("the one worker still runs jobs after a task interrupted it").isEqualTo(TaskOutcome.Status.MET);
        assertThat(interruptedSeen).as("the next job does not inherit the interrupt").isFalse();
        assertThat(s.workerCount()).isEqualTo(1);
    }

    @Test
    void shouldCountOnlyLiveWorkers() throws Exception {
        EdfScheduler s = scheduler(2);
        for (int i = 0; i < 5; i++) {
            await(s.schedule(once("rude-" + i, () -> Thread.currentThread().interrupt())));
        }
        // both workers are still alive and the count says so: each job after an interrupt still runs on a worker
        assertThat(s.aliveWorkerThreads()).isEqualTo(2);
        assertThat(s.workerCount()).isEqualTo(2);
        assertThat(s.stats().workers()).isEqualTo(2);
        assertThat(s.stats().workersReplaced()).isZero();
    }

    @Test
    void shouldReplaceAWorkerThatDiesAndCountOnlyLiveOnes() throws Exception {
        // a time source that throws an Error once on a worker thread: the error escapes the worker loop and ends the thread
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch thrown = new CountDownLatch(1);
        TimeSource faulty = new FakeTimeSourceWrapper(sys) {
            @Override
            public long nowNanos() {
                if (Thread.currentThread().getName().startsWith("chronofabric-sched-worker-") && armed.compareAndSet(true, false)) {
                    thrown.countDown();
                    throw new AssertionError("injected worker death");
                }
                return super.nowNanos();
            }
        };
        scheduler = new EdfScheduler(new SchedulerSettings(2, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(1), 1000, 0, 1), faulty, () -> OptimizationHint.BALANCED, n -> QuantumOffset.NONE);
        EdfScheduler s = scheduler;
        armed.set(true);
        assertThat(thrown.await(10, TimeUnit.SECONDS)).isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.stats().workersReplaced() == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(s.stats().workersReplaced()).isEqualTo(1);
        assertThat(s.workerCount()).isEqualTo(2);
        assertThat(s.aliveWorkerThreads()).isEqualTo(2);
        // and two workers really run jobs: two jobs that can only finish together
        CyclicBarrier barrier = new CyclicBarrier(2);
        Runnable meet = () -> {
            try {
                barrier.await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("fewer than two workers ran the jobs", e);
            }
        };
        ScheduledTask a = s.schedule(once("a", meet));
        ScheduledTask b = s.schedule(once("b", meet));
        assertThat(await(a).status()).isEqualTo(TaskOutcome.Status.MET);
        assertThat(await(b).status()).isEqualTo(TaskOutcome.Status.MET);
    }

    @Test
    void shouldEndTheJobAWorkerHeldWhenItDiedAsFailedAndKeepAPeriodicTaskRunning() throws Exception {
        // the work cannot kill the worker (its exceptions are outcomes), but the clock read after it can
        AtomicBoolean armed = new AtomicBoolean();
        TimeSource faulty = new FakeTimeSourceWrapper(sys) {
            @Override
            public long nowNanos() {
                if (armed.compareAndSet(true, false)) {
                    throw new AssertionError("injected death while holding a job");
                }
                return super.nowNanos();
            }
        };
        scheduler = new EdfScheduler(new SchedulerSettings(1, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(1), 1000, 0, 1), faulty, () -> OptimizationHint.BALANCED, n -> QuantumOffset.NONE);
        EdfScheduler s = scheduler;
        CountDownLatch runs = new CountDownLatch(3);
        ScheduledTask tick = s.schedule(Task.builder("tick", () -> {
            if (runs.getCount() == 3) {
                armed.set(true); // the finish reading of this job throws
            }
            runs.countDown();
        }).periodic(Duration.ofMillis(5), Duration.ofMillis(5)).estimate(Duration.ofMillis(1)).build());
        assertThat(runs.await(10, TimeUnit.SECONDS)).as("the periodic task keeps firing on the replacement worker").isTrue();
        assertThat(tick.isDone()).isFalse();
        assertThat(s.stats().failed()).isEqualTo(1);
        assertThat(s.stats().workersReplaced()).isEqualTo(1);
        assertThat(s.workerCount()).isEqualTo(1);
    }

    /** Delegates to a source; tests override {@link #nowNanos()}. */
    private static class FakeTimeSourceWrapper implements TimeSource {
        private final TimeSource d;

        FakeTimeSourceWrapper(TimeSource d) {
            this.d = d;
        }

        @Override
        public long nowNanos() {
            return d.nowNanos();
        }

        @Override
        public boolean hasHardwareTiming() {
            return d.hasHardwareTiming();
        }

        @Override
        public String kind() {
            return d.kind();
        }

        @Override
        public QuantumOffset quantumOffset() {
            return d.quantumOffset();
        }

        @Override
        public TimeCheckpoint createCheckpoint(String name) {
            return d.createCheckpoint(name);
        }

        @Override
        public boolean validateCoherence(TimeCheckpoint from, TimeCheckpoint to) {
            return d.validateCoherence(from, to);
        }
    }
}
