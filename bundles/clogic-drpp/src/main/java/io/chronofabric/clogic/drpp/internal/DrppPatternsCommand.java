package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** DRPP's most recent pattern events, newest last. */
@Service
@Command(scope = "csf", name = "drpp-patterns", description = "The most recent pattern events DRPP published (newest last).")
public class DrppPatternsCommand implements Action {

    @Option(name = "-n", aliases = "--count", description = "Events shown at most (default 20)")
    int count = 20;

    @Option(name = "--kind", description = "Only this kind: resonance, coherence, information_flow, changepoint, motif, discord")
    String kind;

    @Reference(optional = true)
    DrppComponent drpp;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (drpp == null) {
            out.println("DRPP is not running (is the chronofabric-clogic-drpp feature installed and configured?)");
            return null;
        }
        PatternKind only = null;
        if (kind != null) {
            try {
                only = PatternKind.valueOf(kind.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--kind '" + kind + "' is not one of " + List.of(PatternKind.values()));
            }
        }
        List<PatternEvent> all = drpp.recentEvents();
        PatternKind k = only;
        List<PatternEvent> shown = all.stream().filter(e -> k == null || e.kind() == k).toList();
        shown = shown.subList(Math.max(0, shown.size() - Math.max(0, count)), shown.size());
        if (shown.isEmpty()) {
            out.println("No pattern events yet (" + all.size() + " kept in all).");
            return null;
        }
        out.println(String.format(Locale.ROOT, "%-30s %-17s %-24s %s", "time", "kind", "streams", "values / detail"));
        for (PatternEvent e : shown) {
            out.println(String.format(Locale.ROOT, "%-30s %-17s %-24s %s  %s", e.timeNanos() > 0 ? Instant.ofEpochSecond(0, e.timeNanos()) : "-",
                    e.kind(), String.join(e.kind() == PatternKind.INFORMATION_FLOW ? "->" : ",", e.streams()), values(e.values()), e.detail()));
        }
        return null;
    }

    static String values(Map<String, Double> values) {
        StringBuilder b = new StringBuilder();
        values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(en.getKey()).append('=').append(String.format(Locale.ROOT, "%.6g", en.getValue()));
        });
        return b.toString();
    }
}
