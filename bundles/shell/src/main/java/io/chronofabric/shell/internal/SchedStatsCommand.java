package io.chronofabric.shell.internal;

import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.scheduler.TimeOracle;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Scheduler load, queue, misses by task and the oracle's hint. */
@Service
@Command(scope = "csf", name = "sched-stats", description = "Shows scheduler workers, time source, load, queue length, deadline misses (since start and recent) and the time oracle's hint.")
public class SchedStatsCommand extends SchedulerCommandSupport {

    @Reference(optional = true)
    TimeOracle oracle;

    @Override
    protected void doExecute(PrintStream out) {
        SchedulerStats s = scheduler.stats();
        SchedulerStats.Window w = s.recent();
        out.println("Workers         : " + s.workers() + " alive of " + s.configuredWorkers() + " configured"
                + (s.workersReplaced() > 0 ? ", " + s.workersReplaced() + " replaced after dying" : ""));
        out.println("Time source     : " + (SchedulerStats.NO_TIME_SOURCE.equals(s.timeSource())
                ? "none (running on a monotonic fallback from the last reading)" : s.timeSource()));
        out.println(String.format(Locale.ROOT, "Load            : %.3f", s.load()));
        out.println("Queued          : " + s.queued());
        out.println("Running         : " + s.running());
        out.println("Met deadline    : " + s.completed());
        out.println("Missed          : " + s.missed());
        out.println("Failed          : " + s.failed());
        out.println(String.format(Locale.ROOT, "Last %-11s: %d jobs, %d missed (%.2f%%), %d failed", (w.windowNanos() / 1_000_000_000L) + " s",
                w.jobs(), w.missed(), w.missRate() * 100, w.failed()));
        out.println("Hint            : " + s.hint() + (oracle != null ? " (" + oracle.explanation() + ")" : ""));
        if (!s.missesByTask().isEmpty()) {
            out.println("Misses by task  :");
            for (Map.Entry<String, Long> e : new TreeMap<>(s.missesByTask()).entrySet()) {
                out.println("  " + e.getKey() + ": " + e.getValue());
            }
        }
        if (!s.refusedTasks().isEmpty()) {
            out.println("Not admitted    :");
            s.refusedTasks().forEach((task, reason) -> out.println("  " + task + ": " + reason));
        }
    }
}
