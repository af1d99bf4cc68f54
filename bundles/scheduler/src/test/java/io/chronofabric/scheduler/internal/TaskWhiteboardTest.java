package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.ScheduledWork;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.time.QuantumOffset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The task whiteboard against a real EDF scheduler on a simulated clock. */
class TaskWhiteboardTest {

    private static final long MS = 1_000_000L;
    private final FakeTimeSource time = FakeTimeSource.simulated(1_000_000 * MS);
    private final TaskWhiteboard whiteboard = new TaskWhiteboard();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<EdfScheduler> schedulers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        schedulers.forEach(EdfScheduler::close);
    }

    /** A scheduler as SchedulerComponent starts it: capacity frees call the whiteboard back. */
    private EdfScheduler start() {
        EdfScheduler s = new EdfScheduler(new SchedulerSettings(1, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(1), 1000, 0, 1), time, () -> OptimizationHint.BALANCED, n -> QuantumOffset.NONE,
                new AtomicLong()::get, whiteboard::retryRefused);
        schedulers.add(s);
        whiteboard.attach(s);
        return s;
    }

    /** What SchedulerComponent.deactivate does. */
    private void stop(EdfScheduler s) {
        whiteboard.detach();
        s.close();
    }

    private ScheduledWork periodic(String name, int estimateMs) {
        return () -> Task.builder(name, () -> ran.add(name)).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(estimateMs)).build();
    }

    private static List<String> names(EdfScheduler s) {
        return s.pending().stream().map(t -> t.task().name()).toList();
    }

    @Test
    void shouldScheduleAServiceAndUnscheduleItWhenTheServiceGoes() {
        EdfScheduler s = start();
        whiteboard.add(7, periodic("poll", 1), "of bundle test [1]");
        assertThat(names(s)).containsExactly("poll");
        s.processTemporalQueue();
        assertThat(ran).containsExactly("poll");
        ScheduledTask h = whiteboard.handleOf(7);

        whiteboard.remove(7);

        assertThat(s.pending()).isEmpty();
        assertThat(h.outcome().toCompletableFuture().getNow(null).status()).isEqualTo(TaskOutcome.Status.CANCELLED);
        time.advance(50 * MS);
        assertThat(s.processTemporalQueue()).isZero();
    }

    @Test
    void shouldScheduleServicesBoundBeforeTheSchedulerAndAgainAfterARestart() {
        whiteboard.add(7, periodic("poll", 1), "of bundle test [1]"); // SCR binds before activate
        EdfScheduler first = start();
        assertThat(names(first)).containsExactly("poll");
        ScheduledTask before = whiteboard.handleOf(7);

        stop(first);
        assertThat(before.outcome().toCompletableFuture().getNow(null).status()).isEqualTo(TaskOutcome.Status.ABANDONED);
        EdfScheduler second = start();

        assertThat(names(second)).containsExactly("poll");
        assertThat(whiteboard.handleOf(7)).isNotSameAs(before);
        second.processTemporalQueue();
        assertThat(ran).containsExactly("poll");
    }

    @Test
    void shouldListATaskRefusedForCapacityAndAdmitItWhenCapacityFrees() {
        EdfScheduler s = start();
        whiteboard.add(1, periodic("big", 6), "of bundle a [1]"); // 0.6 of the one worker
        whiteboard.add(2, periodic("second", 6), "of bundle b [2]"); // 1.2 > 0.9: refused

        assertThat(names(s)).containsExactly("big");
        assertThat(whiteboard.refused()).hasSize(1);
        String label = whiteboard.refused().keySet().iterator().next();
        assertThat(label).contains("'second'").contains("service 2").contains("bundle b");
        assertThat(whiteboard.refused().get(label)).contains("above the bound");

        whiteboard.remove(1); // frees 0.6: the refused one is admitted at once

        assertThat(names(s)).containsExactly("second");
        assertThat(whiteboard.refused()).isEmpty();
    }

    @Test
    void shouldAdmitARefusedTaskWhenAnotherTaskIsCancelledOrTheConfigurationGrows() {
        EdfScheduler s = start();
        ScheduledTask manual = s.schedule(Task.builder("manual", () -> { }).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(6)).build());
        whiteboard.add(3, periodic("wb", 6), "of bundle c [3]");
        assertThat(whiteboard.refused()).hasSize(1);
        s.reconfigure(new SchedulerSettings(2, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1),
                1000, 0, 1));
        assertThat(whiteboard.refused()).as("two workers have room for it").isEmpty();
        assertThat(names(s)).containsExactlyInAnyOrder("manual", "wb");
        manual.cancel();
        assertThat(names(s)).containsExactly("wb");
    }

    @Test
    void shouldRefuseOneShotAndBrokenWorkWithAReasonAndKeepTheOthers() {
        EdfScheduler s = start();
        whiteboard.add(4, () -> Task.builder("once", () -> { }).deadline(time.nowNanos() + 10 * MS).estimate(Duration.ofMillis(1)).build(),
                "of bundle d [4]");
        whiteboard.add(5, () -> {
            throw new IllegalStateException("not configured");
        }, "of bundle e [5]");
        whiteboard.add(6, periodic("fine", 1), "of bundle f [6]");
        assertThat(names(s)).containsExactly("fine");
        assertThat(whiteboard.refused().values()).anyMatch(r -> r.contains("must be periodic")).anyMatch(r -> r.contains("not configured"));
        assertThat(whiteboard.refused().keySet()).anyMatch(k -> k.contains("'once'")).anyMatch(k -> k.contains("service 5"));
    }

    @Test
    void shouldAskForTheTaskAgainWhenTheServicePropertiesChange() {
        EdfScheduler s = start();
        AtomicInteger version = new AtomicInteger(1);
        whiteboard.add(8, () -> Task.builder("v" + version.get(), () -> { }).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(1)).build(), "of bundle g [8]");
        assertThat(names(s)).containsExactly("v1");
        version.set(2);
        whiteboard.update(8);
        assertThat(names(s)).containsExactly("v2");
    }
}
