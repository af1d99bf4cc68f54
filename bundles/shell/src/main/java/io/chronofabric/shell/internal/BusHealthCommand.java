package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.BusHealth;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** The bus health check with its warnings. */
@Service
@Command(scope = "csf", name = "bus-health", description = "Checks the bus against its configured latency and capacity targets.")
public class BusHealthCommand extends BusCommandSupport {

    @Override
    protected void doExecute(PrintStream out) {
        BusHealth h = bus.healthCheck();
        out.println("Healthy : " + (h.healthy() ? "yes" : "no"));
        out.println("Latency : avg " + Durations.format(h.stats().avgLatencyNanos()) + ", p99 "
                + Durations.format(h.stats().p99LatencyNanos()));
        if (h.warnings().isEmpty()) {
            out.println("Warnings: none");
        } else {
            h.warnings().forEach(w -> out.println("Warning : " + w));
        }
    }
}
