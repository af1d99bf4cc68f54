package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.DeadLetterLog;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;

/** Completes the sequences of the newest 100 dead letters. */
@Service
public class DeadLetterSequenceCompleter implements Completer {

    @Reference(optional = true)
    DeadLetterLog log;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        DeadLetterLog l = log;
        return Completions.complete(session, commandLine, candidates,
                () -> l == null ? null : l.latest(100).stream().map(e -> Long.toString(e.sequence())).toList());
    }
}
