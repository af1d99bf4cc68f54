package io.chronofabric.shell.internal;

import io.chronofabric.api.core.NanoTime;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.Task;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** Lists admitted tasks. */
@Service
@Command(scope = "csf", name = "sched-list", description = "Lists the tasks the scheduler has admitted and not finished.")
public class SchedListCommand extends SchedulerCommandSupport {

    @Override
    protected void doExecute(PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Priority");
        table.column("Kind");
        table.column("Next deadline (UTC)");
        for (ScheduledTask t : scheduler.pending()) {
            Task task = t.task();
            String kind = task.isPeriodic() ? "every " + Durations.format(task.periodNanos()) : "one-shot";
            table.addRow().addContent(t.id(), task.name(), task.priority(), kind,
                    t.nextDeadlineNanos() > 0 ? new NanoTime(t.nextDeadlineNanos()).toString() : "-");
        }
        table.print(out);
    }
}
