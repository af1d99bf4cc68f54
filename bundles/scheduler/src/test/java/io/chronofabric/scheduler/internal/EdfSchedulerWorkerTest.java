package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.time.internal.SystemTimeSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Worker threads: interrupts, deaths and the live count. */
class EdfSchedulerWorkerTest {

    private static final long MS = 1_000_000L;
    private final SystemTimeSource sys = new SystemTimeSource();
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
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (liveWorkerThreads(s) < 2 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(liveWorkerThreads(s)).isEqualTo(2);
        assertThat(s.workerCount()).isEqualTo(2);
    }

    /** Worker threads of this scheduler that are alive (names carry the scheduler's serial). */
    private static int liveWorkerThreads(EdfScheduler s) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("chronofabric-sched-worker-") && t.isAlive()) {
                n++;
            }
        }
        return n;
    }
}
