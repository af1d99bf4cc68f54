package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.BusStats;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Bus counters and latency percentiles. */
@Service
@Command(scope = "csf", name = "bus-stats", description = "Shows bus counters, latency percentiles (publish to handler) and throughput.")
public class BusStatsCommand extends BusCommandSupport {

    @Override
    protected void doExecute(PrintStream out) {
        BusStats s = bus.stats();
        out.println("Published            : " + s.published());
        out.println("Delivered            : " + s.delivered());
        out.println("Dropped (full queue) : " + s.dropped());
        out.println("Expired (deadline)   : " + s.expired());
        out.println("Failed               : " + s.failed());
        out.println("Retried              : " + s.retried());
        out.println("Dead-lettered        : " + s.deadLettered());
        out.println("Active subscriptions : " + s.activeSubscriptions());
        out.println("Latency avg / peak   : " + Durations.format(s.avgLatencyNanos()) + " / " + Durations.format(s.peakLatencyNanos()));
        out.println("Latency p50/p99/p99.9: " + Durations.format(s.p50LatencyNanos()) + " / "
                + Durations.format(s.p99LatencyNanos()) + " / " + Durations.format(s.p999LatencyNanos()));
        out.println("Throughput           : " + s.throughputPerSecond() + " deliveries/s (sliding window)");
    }
}
