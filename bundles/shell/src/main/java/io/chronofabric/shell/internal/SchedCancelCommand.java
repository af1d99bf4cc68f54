package io.chronofabric.shell.internal;

import io.chronofabric.api.core.TaskId;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Cancels an admitted task. */
@Service
@Command(scope = "csf", name = "sched-cancel", description = "Cancels an admitted task; a running job finishes.")
public class SchedCancelCommand extends SchedulerCommandSupport {

    @Argument(index = 0, name = "id", required = true, description = "The task id (task-N or N; Tab completes).")
    @Completion(TaskIdCompleter.class)
    String id;

    @Override
    protected void doExecute(PrintStream out) {
        TaskId taskId = TaskId.parse(id);
        if (!scheduler.cancel(taskId)) {
            throw new IllegalArgumentException("No pending task " + taskId + " (csf:sched-list shows the admitted ones)");
        }
        out.println("Cancelled " + taskId);
    }
}
