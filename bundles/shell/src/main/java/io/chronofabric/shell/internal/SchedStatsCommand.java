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
@Command(scope = "csf", name = "sched-stats", description = "Shows scheduler load, queue length, deadline misses by task and the time oracle's hint.")
public class SchedStatsCommand extends SchedulerCommandSupport {

    @Reference(optional = true)
    TimeOracle oracle;

    @Override
    protected void doExecute(PrintStream out) {
        SchedulerStats s = scheduler.stats();
        out.println(String.format(Locale.ROOT, "Load            : %.3f", s.load()));
        out.println("Queued          : " + s.queued());
        out.println("Running         : " + s.running());
        out.println("Met deadline    : " + s.completed());
        out.println("Missed          : " + s.missed());
        out.println("Failed          : " + s.failed());
        out.println("Hint            : " + s.hint() + (oracle != null ? " (" + oracle.explanation() + ")" : ""));
        if (!s.missesByTask().isEmpty()) {
            out.println("Misses by task  :");
            for (Map.Entry<String, Long> e : new TreeMap<>(s.missesByTask()).entrySet()) {
                out.println("  " + e.getKey() + ": " + e.getValue());
            }
        }
    }
}
