package io.chronofabric.shell.internal;

import io.chronofabric.api.core.NanoTime;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.SimulatedTimeSource;
import io.chronofabric.api.time.TimeSource;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Shows the active time source; moves simulated time. */
@Service
@Command(scope = "csf", name = "time", description = "Shows the active time source and its reading; moves simulated time forward.")
public class TimeCommand implements Action {

    @Option(name = "-a", aliases = "--advance", description = "Simulated source only: move time forward by a duration (e.g. 5ms, 2s).")
    String advance;

    @Option(name = "--set", description = "Simulated source only: set time to this many ns since the epoch (never backwards).")
    Long set;

    @Reference(optional = true)
    TimeSource timeSource;

    @Reference(optional = true)
    SimulatedTimeSource simulated;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (timeSource == null) {
            out.println("No TimeSource service is registered (is the chronofabric-time feature installed and started?)");
            return null;
        }
        if (advance != null || set != null) {
            if (simulated == null) {
                throw new IllegalStateException("The active time source is '" + timeSource.kind()
                        + "'; --advance and --set need source=simulated in etc/io.chronofabric.time.cfg");
            }
            if (advance != null) {
                simulated.advance(Durations.parseNanos(advance));
            }
            if (set != null) {
                simulated.advanceTo(set);
            }
        }
        long now = timeSource.nowNanos();
        out.println("Source          : " + timeSource.kind());
        out.println("Now (ns)        : " + now);
        out.println("Now (UTC)       : " + new NanoTime(now));
        out.println("Hardware timing : " + (timeSource.hasHardwareTiming() ? "yes (TSC clock source)" : "no"));
        QuantumOffset q = timeSource.quantumOffset();
        out.println("Quantum offset  : " + (q.equals(QuantumOffset.NONE) ? "none"
                : String.format("%.0f ns * sin(2pi * %.3f Hz * t + %.3f rad), now %d ns", q.amplitudeNanos(), q.frequencyHz(),
                        q.phaseRadians(), q.offsetAt(now))));
        return null;
    }
}
