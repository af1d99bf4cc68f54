package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.EventBus;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;

/** Completes the channel names the bus knows. */
@Service
public class ChannelCompleter implements Completer {

    @Reference(optional = true)
    EventBus bus;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        EventBus b = bus;
        return Completions.complete(session, commandLine, candidates, () -> b == null ? null : b.channels());
    }
}
