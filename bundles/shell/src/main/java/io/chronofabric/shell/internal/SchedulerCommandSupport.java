package io.chronofabric.shell.internal;

import io.chronofabric.api.scheduler.DeadlineScheduler;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;

/** Shared plumbing of the scheduler commands. */
public abstract class SchedulerCommandSupport implements Action {

    @Reference(optional = true)
    DeadlineScheduler scheduler;

    @Reference
    Session session;

    @Override
    public final Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (scheduler == null) {
            out.println("No DeadlineScheduler service is registered (is the chronofabric-scheduler feature installed and started?)");
            return null;
        }
        doExecute(out);
        return null;
    }

    protected abstract void doExecute(PrintStream out) throws Exception;
}
