package io.chronofabric.shell.internal;

import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.TraceStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** csf:trace: a trace's spans as a tree (publish, deliver, handler), with times relative to its start. */
@Service
@Command(scope = "csf", name = "trace", description = "Shows the spans of one trace from the trace store (csf:traces lists "
        + "the latest), as a tree with start offsets and durations.")
public class TraceCommand implements Action {

    @Argument(index = 0, name = "trace-id", required = true, description = "32 hex digits, or a whole traceparent.")
    String traceId;

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
        List<Span> spans = store.trace(traceId);
        if (spans.isEmpty()) {
            out.println("No spans of trace " + traceId + " in the store (it keeps the latest " + store.capacity()
                    + " spans; is the packet traced? publish with --trace, or set trace.sample.ratio in io.chronofabric.bus)");
            return null;
        }
        for (String line : render(spans)) {
            out.println(line);
        }
        return null;
    }

    /** The tree: children under their parent, in start order; a span whose parent is not in the store starts a root. */
    static List<String> render(List<Span> spans) {
        long t0 = spans.stream().mapToLong(Span::startNanos).min().orElse(0);
        Set<Long> ids = new HashSet<>();
        for (Span s : spans) {
            ids.add(s.spanId());
        }
        Map<Long, List<Span>> children = new HashMap<>();
        List<Span> roots = new ArrayList<>();
        for (Span s : spans) {
            if (s.isRoot() || !ids.contains(s.parentSpanId())) {
                roots.add(s);
            } else {
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("trace " + spans.get(0).trace().traceId() + ": " + spans.size() + " span(s)");
        for (Span r : roots) {
            walk(r, children, t0, 1, lines);
        }
        return lines;
    }

    private static void walk(Span s, Map<Long, List<Span>> children, long t0, int depth, List<String> lines) {
        StringBuilder b = new StringBuilder("  ".repeat(depth));
        b.append(s.name()).append(' ').append(s.spanIdHex());
        if (!s.isRoot() && depth == 1) {
            b.append(" (parent ").append(s.parentIdHex()).append(')');
        }
        b.append("  +").append(Durations.format(s.startNanos() - t0)).append("  ").append(Durations.format(s.durationNanos()));
        if (s.channel() != null) {
            b.append("  channel ").append(s.channel());
        }
        if (s.subscription() != null) {
            b.append("  ").append(s.subscription());
        }
        b.append("  msg ").append(new io.chronofabric.api.core.MessageId(s.messageId()));
        if (s.error() != null) {
            b.append("  ERROR ").append(s.error());
        }
        lines.add(b.toString());
        for (Span c : children.getOrDefault(s.spanId(), List.of())) {
            walk(c, children, t0, depth + 1, lines);
        }
    }
}
