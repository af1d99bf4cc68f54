package io.chronofabric.shell.internal;

import io.chronofabric.api.adp.AdaptiveProcessor;
import io.chronofabric.api.adp.PlaceInfo;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;

/** ADP's places: what each is, whether ADP may choose it, and what it learnt about it. */
@Service
@Command(scope = "csf", name = "adp-places", description = "ADP's places (scheduler, local, compute:KIND, WorkPlace services): eligible or why not,"
        + " choices, mean reward and latency, failures, deadline misses, in flight, queue.")
public class AdpPlacesCommand implements Action {

    @Reference(optional = true)
    AdaptiveProcessor adp;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (adp == null) {
            out.println("ADP is not running (is the chronofabric-clogic-adp feature installed?)");
            return null;
        }
        ShellTable t = new ShellTable();
        t.column("Place");
        t.column("Kind");
        t.column("Eligible");
        t.column("Choices").alignRight();
        t.column("Reward").alignRight();
        t.column("Latency ms").alignRight();
        t.column("Failures").alignRight();
        t.column("Missed").alignRight();
        t.column("In flight").alignRight();
        t.column("Queue").alignRight();
        t.column("Status");
        for (PlaceInfo p : adp.places()) {
            t.addRow().addContent(p.name(), p.kind(), p.eligible() ? "yes" : "no", p.choices(), number(p.meanReward(), 3),
                    number(p.meanLatencyNanos() / 1e6, 3), p.failures(), p.deadlineMisses(), p.inFlight(), p.queueLength(), p.status());
        }
        t.print(out);
        out.println("Other nodes are places for compute units only (remote:NAME, configured by remote.places); task units stay on this node.");
        return null;
    }

    private static String number(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
