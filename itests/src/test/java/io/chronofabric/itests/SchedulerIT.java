package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The scheduler inside the distribution: service, a task run for real, console. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SchedulerIT extends ChronoFabricTestSupport {

    @Test
    public void schedulerRunsTasksAndTheConsoleAnswers() throws Exception {
        DeadlineScheduler scheduler = service(DeadlineScheduler.class);
        service(TimeOracle.class);
        TimeSource time = service(TimeSource.class);
        ScheduledTask once = scheduler.schedule(Task.builder("itest-once", () -> { })
                .deadline(time.nowNanos() + TimeUnit.SECONDS.toNanos(5)).estimate(Duration.ofMillis(1)).build());
        TaskOutcome outcome = once.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(TaskOutcome.Status.MET, outcome.status());

        ScheduledTask periodic = scheduler.schedule(Task.builder("itest-periodic", () -> { })
                .periodic(Duration.ofSeconds(10), Duration.ofSeconds(10)).estimate(Duration.ofMillis(1)).build());
        String list = execute("csf:sched-list");
        assertContains(list, "itest-periodic");
        String stats = execute("csf:sched-stats");
        assertContains(stats, "Load");
        assertContains(stats, "Hint");
        assertContains(stats, "Met deadline    : ");
        assertContains(execute("csf:sched-cancel " + periodic.id()), "Cancelled " + periodic.id());
        assertContains(executeExpectingError("csf:sched-cancel " + periodic.id()), "No pending task");
        assertContains(executeExpectingError("csf:sched-cancel banana"), "'banana'");
        assertContains(execute("csf:status scheduler"), "present");
        assertTrue(scheduler.pending().isEmpty());
    }

}
