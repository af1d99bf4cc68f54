package io.chronofabric.shell.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the section argument of {@code csf:status}: a port name, or {@code bridges}. */
@Service
public class PortNameCompleter implements Completer {

    /** The section {@code csf:status} accepts besides the port names. */
    static final String BRIDGES = "bridges";

    /** Every value {@code csf:status} takes as its section argument, ports first. */
    static List<String> sections() {
        List<String> all = new ArrayList<>(Ports.names());
        all.add(BRIDGES);
        return List.copyOf(all);
    }

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(sections()).complete(session, commandLine, candidates);
    }
}
