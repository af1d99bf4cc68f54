package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.time.internal.SimulatedTimeSourceImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a task ends when its job runs on the caller's thread ({@code runDue}): the last job's
 * bookkeeping is left to the next holder of the lock (the job is registered at dispatch and ended
 * with release stores), and a task that is cancelled or abandoned while its job runs keeps its
 * slot until the job is handed back.
 */
class EdfSchedulerEndingTest {

    private static final long MS = 1_000_000L;
    private final SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000_000 * MS);
    private final List<EdfScheduler> schedulers = new CopyOnWriteArrayList<>();

    private EdfScheduler simulated() {
        SchedulerSettings s = new SchedulerSettings(1, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1),
                1000, 0, 1);
        EdfScheduler e = new EdfScheduler(s, time, () -> OptimizationHint.BALANCED, n -> QuantumOffset.NONE);
        schedulers.add(e);
        return e;
    }

    @AfterEach
    void close() {
        schedulers.forEach(EdfScheduler::close);
    }

    private Task oneShot(String name, long deadlineFromNow, Runnable work) {
        return Task.builder(name, work).deadline(time.nowNanos() + deadlineFromNow).estimate(Duration.ofNanos(MS / 10)).build();
    }

    private static TaskOutcome outcome(ScheduledTask t) {
        return t.outcome().toCompletableFuture().getNow(null);
    }

    @Test
    void shouldEndATaskCancelledByItsOwnJobOnceAndGiveItsSlotToTheNextTask() {
        EdfScheduler s = simulated();
        AtomicReference<ScheduledTask> self = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        ScheduledTask t = s.schedule(oneShot("self-cancel", 100 * MS, () -> cancelled.set(self.get().cancel())));
        self.set(t);
        assertThat(s.load()).isGreaterThan(0);

        assertThat(s.runDue(1)).isEqualTo(1);

        assertThat(cancelled).as("cancelling a running job").isTrue();
        assertThat(outcome(t).status()).isEqualTo(TaskOutcome.Status.CANCELLED);
        assertThat(t.isDone()).isTrue();
        assertThat(t.cancel()).as("already ended").isFalse();
        assertThat(s.pending()).isEmpty();
        assertThat(s.stats().running()).isZero();
        assertThat(s.load()).isZero();
        assertThat(s.jobsRun()).isEqualTo(1);

        List<String> ran = new ArrayList<>();
        ScheduledTask b = s.schedule(oneShot("b", 300 * MS, () -> ran.add("b")));
        ScheduledTask a = s.schedule(oneShot("a", 200 * MS, () -> ran.add("a")));
        assertThat(s.processTemporalQueue()).isEqualTo(2);
        assertThat(ran).containsExactly("a", "b");
        assertThat(outcome(a).status()).isEqualTo(TaskOutcome.Status.MET);
        assertThat(outcome(b).status()).isEqualTo(TaskOutcome.Status.MET);
        assertThat(s.pending()).isEmpty();
        assertThat(s.load()).isZero();
        assertThat(s.jobsRun()).isEqualTo(3);
    }

    @Test
    void shouldCompleteTheOutcomeWhetherAskedForBeforeOrAfterTheJobRan() {
        EdfScheduler s = simulated();
        ScheduledTask before = s.schedule(oneShot("before", 100 * MS, () -> { }));
        var asked = before.outcome().toCompletableFuture();
        assertThat(asked).isNotDone();
        assertThat(s.runDue(1)).isEqualTo(1);
        assertThat(asked).isCompleted();
        assertThat(asked.join().status()).isEqualTo(TaskOutcome.Status.MET);

        ScheduledTask after = s.schedule(oneShot("after", 100 * MS, () -> { }));
        assertThat(s.runDue(1)).isEqualTo(1);
        assertThat(after.isDone()).isTrue();
        TaskOutcome o = outcome(after);
        assertThat(o).isNotNull();
        assertThat(o.status()).isEqualTo(TaskOutcome.Status.MET);
        assertThat(o.name()).isEqualTo("after");
    }

    @Test
    void shouldAbandonAJobThatRunsWhileTheSchedulerStopsAndKeepThatOutcome() {
        EdfScheduler s = simulated();
        AtomicReference<ScheduledTask> queued = new AtomicReference<>();
        ScheduledTask running = s.schedule(oneShot("running", 100 * MS, s::close));
        queued.set(s.schedule(oneShot("queued", 200 * MS, () -> { })));

        assertThat(s.runDue(1)).isEqualTo(1); // its job stops the scheduler

        assertThat(outcome(running).status()).isEqualTo(TaskOutcome.Status.ABANDONED);
        assertThat(outcome(queued.get()).status()).isEqualTo(TaskOutcome.Status.ABANDONED);
        assertThat(s.pending()).isEmpty();
        assertThat(s.processTemporalQueue()).isZero();
    }

    @Test
    void shouldCountEveryJobOfManyThreadsAdmittingAndRunningAtOnce() throws InterruptedException {
        EdfScheduler s = simulated();
        int threads = 4;
        int each = 5_000;
        Queue<ScheduledTask> handles = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int j = 0; j < each; j++) {
                    handles.add(s.schedule(oneShot("t", 1_000 * MS, () -> { })));
                    s.runDue(1);
                }
            });
            t.start();
            ts.add(t);
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        s.processTemporalQueue();

        assertThat(s.jobsRun()).isEqualTo((long) threads * each);
        assertThat(handles).hasSize(threads * each).allSatisfy(h -> {
            assertThat(h.isDone()).isTrue();
            assertThat(outcome(h).status()).isEqualTo(TaskOutcome.Status.MET);
        });
        assertThat(s.pending()).isEmpty();
        assertThat(s.stats().running()).isZero();
        assertThat(s.stats().completed()).isEqualTo((long) threads * each);
        assertThat(s.load()).isLessThan(1e-9);
    }

    @Test
    void shouldCompleteEveryOutcomeAskedForWhileOtherThreadsRunTheJobs() throws InterruptedException {
        EdfScheduler s = simulated();
        int runners = 3;
        int each = 5_000;
        Queue<ScheduledTask> admitted = new ConcurrentLinkedQueue<>();
        List<java.util.concurrent.CompletableFuture<TaskOutcome>> asked = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        // one thread asks for each outcome as soon as it sees the handle: before, while or after its job ends
        Thread asker = new Thread(() -> {
            while (true) {
                ScheduledTask h = admitted.poll();
                if (h == null) {
                    if (done.get() && admitted.isEmpty()) {
                        return;
                    }
                    Thread.onSpinWait();
                    continue;
                }
                asked.add(h.outcome().toCompletableFuture());
            }
        });
        asker.start();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < runners; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int j = 0; j < each; j++) {
                    admitted.add(s.schedule(oneShot("t", 1_000 * MS, () -> { })));
                    s.runDue(1);
                }
            });
            t.start();
            ts.add(t);
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        done.set(true);
        asker.join();
        s.stats(); // one more holder of the lock: an outcome asked for while its job ended is completed by then at the latest

        assertThat(asked).hasSize(runners * each).allSatisfy(f -> {
            assertThat(f).isDone();
            assertThat(f.getNow(null).status()).isEqualTo(TaskOutcome.Status.MET);
        });
        assertThat(s.pending()).isEmpty();
        assertThat(s.stats().completed()).isEqualTo((long) runners * each);
    }
}
