package io.chronofabric.shell.internal;

import io.chronofabric.api.clogic.ClogicCoordinator;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.InputBinding;
import io.chronofabric.api.clogic.LinkStatus;
import io.chronofabric.api.clogic.ModuleState;
import io.chronofabric.api.core.HealthReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** Lists the C-LOGIC modules and the coordinator's cross-talk links. */
@Service
@Command(scope = "csf", name = "clogic",
        description = "Lists the C-LOGIC modules (algorithm, inputs, outputs, key metrics, health, what each is doing and how far behind) and the cross-talk links.")
public class ClogicCommand implements Action {

    @Option(name = "-m", aliases = "--metrics", description = "Print every metric of every module, not only the first few.")
    boolean allMetrics;

    @Reference
    BundleContext bundleContext;

    @Reference(optional = true)
    ClogicCoordinator coordinator;

    @Reference
    Session session;

    static final int KEY_METRICS = 4;

    @Override
    public Object execute() throws Exception {
        PrintStream out = session.getConsole();
        List<CognitiveModule> modules = coordinator != null ? coordinator.modules() : lookUp();
        if (coordinator == null) {
            out.println("No C-LOGIC coordinator is registered (feature chronofabric-clogic): no links are kept; modules found directly.");
        }
        if (modules.isEmpty()) {
            out.println("No C-LOGIC modules are registered.");
        } else {
            ShellTable table = new ShellTable();
            table.column("Module");
            table.column("Algorithm").maxSize(48).wrap();
            table.column("Inputs").maxSize(40).wrap();
            table.column("Outputs").maxSize(32).wrap();
            table.column("Key metrics").maxSize(48).wrap();
            table.column("Health").maxSize(40).wrap();
            List<String> states = new ArrayList<>();
            for (CognitiveModule m : modules) {
                try {
                    ModuleState s = m.state();
                    HealthReport h = m.health();
                    table.addRow().addContent(m.name(), m.algorithm(), inputs(m, s), String.join(", ", new TreeSet<>(m.outputChannels())),
                            metrics(m.metrics(), allMetrics ? Integer.MAX_VALUE : KEY_METRICS), h.status() + " " + h.summary());
                    states.add(m.name() + ": " + s.activity() + "; processed " + count(s.processed()) + ", skipped " + count(s.skipped())
                            + ", backlog " + count(s.backlog()) + ", lag " + lag(s.lagNanos()));
                } catch (RuntimeException e) {
                    table.addRow().addContent(String.valueOf(safeName(m)), "-", "-", "-", "-", "DOWN failed to report: " + e);
                }
            }
            table.print(out);
            for (String s : states) {
                out.println(s);
            }
        }
        if (coordinator != null) {
            List<LinkStatus> links = coordinator.links();
            out.println();
            if (links.isEmpty()) {
                out.println("No cross-talk links are configured (etc/io.chronofabric.clogic.cfg, key links).");
            } else {
                ShellTable t = new ShellTable();
                t.column("Link");
                t.column("State");
                t.column("Packets on source").alignRight();
                t.column("Problem").maxSize(80).wrap();
                for (LinkStatus l : links) {
                    t.addRow().addContent(l.toString(), l.active() ? "active" : "inactive", l.forwarded() < 0 ? "-" : Long.toString(l.forwarded()),
                            l.problem());
                }
                t.print(out);
            }
            HealthReport h = coordinator.health();
            out.println("Coordinator: " + h.status() + " " + h.summary());
        }
        return null;
    }

    private List<CognitiveModule> lookUp() throws Exception {
        Collection<ServiceReference<CognitiveModule>> refs = bundleContext.getServiceReferences(CognitiveModule.class, null);
        List<CognitiveModule> list = new ArrayList<>();
        for (ServiceReference<CognitiveModule> r : refs) {
            CognitiveModule m = bundleContext.getService(r);
            if (m != null) {
                list.add(m);
                bundleContext.ungetService(r);
            }
        }
        list.sort(Comparator.comparing(ClogicCommand::safeName));
        return list;
    }

    private static String safeName(CognitiveModule m) {
        try {
            return m.name();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String inputs(CognitiveModule m, ModuleState s) {
        if (!s.inputs().isEmpty()) {
            return s.inputs().stream().map(InputBinding::toString).collect(Collectors.joining(", "));
        }
        return m.inputChannels().isEmpty() ? "(none configured)" : String.join(", ", new TreeSet<>(m.inputChannels()));
    }

    static String metrics(Map<String, Double> metrics, int max) {
        if (metrics.isEmpty()) {
            return "-";
        }
        String text = metrics.entrySet().stream().limit(max)
                .map(e -> e.getKey() + "=" + number(e.getValue())).collect(Collectors.joining(", "));
        return metrics.size() > max ? text + ", ... (" + metrics.size() + ", -m for all)" : text;
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String count(long n) {
        return n < 0 ? "?" : Long.toString(n);
    }

    static String lag(long nanos) {
        if (nanos < 0) {
            return "-";
        }
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
