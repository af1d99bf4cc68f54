package io.chronofabric.shell.internal;

import io.chronofabric.api.scheduler.DeadlineScheduler;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;

/** Completes the ids of admitted tasks. */
@Service
public class TaskIdCompleter implements Completer {

    @Reference(optional = true)
    DeadlineScheduler scheduler;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        DeadlineScheduler s = scheduler;
        return Completions.complete(session, commandLine, candidates,
                () -> s == null ? null : s.pending().stream().map(t -> t.id().toString()).toList());
    }
}
