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
        // the oracle (re)starts with the configuration; once it has seen the scheduler, a job counts
        waitFor(() -> {
            try {
                return execute("csf:status --details time-oracle").contains("the scheduler reports");
            } catch (Exception e) {
                return false;
            }
        }, "the time oracle to observe the scheduler");
        ScheduledTask once = scheduler.schedule(Task.builder("itest-once", () -> { })
                .deadline(time.nowNanos() + TimeUnit.SECONDS.toNanos(5)).estimate(Duration.ofMillis(1)).build());
        TaskOutcome outcome = once.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(TaskOutcome.Status.MET, outcome.status());
        // the oracle sees the scheduler's jobs and the bus's latency (both optional references are bound)
        String[] last = {""};
        waitFor(() -> {
            try {
                last[0] = execute("csf:status --details time-oracle");
                return last[0].matches("(?s).*of [1-9][0-9]* jobs\\).*bus latency ([0-9]+ ns|n/a).*");
            } catch (Exception e) {
                last[0] = e.toString();
                return false;
            }
        }, () -> "the time oracle to report the scheduler's jobs and the bus latency; it said: " + last[0] + describeOracle());

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
        assertTrue(scheduler.pending().stream().noneMatch(t -> t.task().name().startsWith("itest-periodic")));
    }

    @Test
    public void workersFollowTheConfigurationWhileTheSchedulerRuns() throws Exception {
        DeadlineScheduler scheduler = service(DeadlineScheduler.class);
        waitFor(() -> workerThreads() == 2, "the default 2 scheduler workers");
        TimeSource time = service(TimeSource.class);
        ScheduledTask periodic = scheduler.schedule(Task.builder("itest-keeps-running", () -> { })
                .periodic(Duration.ofMillis(20), Duration.ofMillis(20)).estimate(Duration.ofMillis(1)).build());

        try {
            setWorkers(4);
            waitFor(() -> workerThreads() == 4, "4 scheduler workers after workers=4");
            setWorkers(1);
            waitFor(() -> workerThreads() == 1, "1 scheduler worker after workers=1");
            assertContains(execute("csf:status scheduler"), "workers 1,");
            // the same scheduler service, and the task admitted before the changes is still there
            assertTrue(scheduler == service(DeadlineScheduler.class));
            assertTrue(scheduler.pending().contains(periodic));
            ScheduledTask once = scheduler.schedule(Task.builder("itest-after-change", () -> { })
                    .deadline(time.nowNanos() + TimeUnit.SECONDS.toNanos(5)).estimate(Duration.ofMillis(1)).build());
            assertEquals(TaskOutcome.Status.MET, once.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS).status());
        } finally {
            periodic.cancel();
            setWorkers(2);
        }
        waitFor(() -> workerThreads() == 2, "2 scheduler workers again");
    }

    /** What editing etc/io.chronofabric.scheduler.cfg does: a Configuration Admin update of the PID. */
    private void setWorkers(int workers) throws Exception {
        org.osgi.service.cm.ConfigurationAdmin admin = service(org.osgi.service.cm.ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration config = admin.getConfiguration("io.chronofabric.scheduler", "?");
        java.util.Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            props = new java.util.Hashtable<>();
        }
        props.put("workers", workers);
        config.update(props);
    }

    private String describeOracle() {
        try {
            return "\n" + execute("scr:info io.chronofabric.scheduler.oracle") + "\n" + execute("csf:sched-stats");
        } catch (Exception e) {
            return " (" + e + ")";
        }
    }

    private static int workerThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("chronofabric-sched-worker-") && t.isAlive()) {
                n++;
            }
        }
        return n;
    }

}
