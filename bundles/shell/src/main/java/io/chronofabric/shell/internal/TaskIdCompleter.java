package io.chronofabric.shell.internal;

import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.ScheduledTask;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the ids of admitted tasks. */
@Service
public class TaskIdCompleter implements Completer {

    @Reference(optional = true)
    DeadlineScheduler scheduler;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        if (scheduler != null) {
            try {
                for (ScheduledTask t : scheduler.pending()) {
                    delegate.getStrings().add(t.id().toString());
                }
            } catch (RuntimeException e) {
                // scheduler stopping
            }
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
