package io.chronofabric.shell.internal;

import io.chronofabric.api.trace.TraceStore;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** csf:traces: the latest traces in the trace store. */
@Service
@Command(scope = "csf", name = "traces", description = "Lists the latest traces in the trace store, newest first.")
public class TracesCommand implements Action {

    @Option(name = "-n", aliases = "--max", description = "How many traces (default 10).")
    int max = 10;

    @Reference(optional = true)
    TraceStore store;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (store == null) {
            out.println("No TraceStore service is registered (is the chronofabric-telemetry feature installed and started?)");
            return null;
        }
        List<TraceStore.TraceSummary> recent = store.recent(max);
        out.println(recent.size() + " trace(s); " + store.recorded() + " span(s) recorded, the latest " + store.capacity() + " kept");
        for (TraceStore.TraceSummary t : recent) {
            out.println(String.format("%s  %3d span(s)  %10s  %s%s", t.traceId(), t.spans(),
                    Durations.format(Math.max(0, t.lastEndNanos() - t.firstStartNanos())), t.channels(),
                    t.errors() > 0 ? "  " + t.errors() + " error(s)" : ""));
        }
        return null;
    }
}
