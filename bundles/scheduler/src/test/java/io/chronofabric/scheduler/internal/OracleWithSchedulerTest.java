package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.time.internal.SystemTimeSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real oracle observing the real scheduler component, as in Karaf. */
class OracleWithSchedulerTest {

    private final SchedulerComponent scheduler = new SchedulerComponent();
    private final TimeOracleComponent oracle = new TimeOracleComponent();

    @AfterEach
    void stop() {
        oracle.deactivate();
        scheduler.deactivate();
    }

    @Test
    void shouldSeeAJobTheSchedulerRan() throws Exception {
        SystemTimeSource ts = new SystemTimeSource();
        scheduler.bindTimeSource(ts);
        scheduler.start(SchedulerSettings.DEFAULTS);
        oracle.scheduler = scheduler;
        oracle.start(SchedulerSettings.DEFAULTS);
        oracle.evaluate();
        TaskOutcome o = scheduler.schedule(Task.builder("once", () -> { }).deadline(ts.nowNanos() + TimeUnit.SECONDS.toNanos(5))
                .estimate(Duration.ofMillis(1)).build()).outcome().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(TaskOutcome.Status.MET);
        oracle.evaluate();
        assertThat(oracle.explanation()).contains("(0 of 1 jobs)");
    }
}
