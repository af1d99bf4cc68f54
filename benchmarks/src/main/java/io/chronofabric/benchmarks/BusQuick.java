package io.chronofabric.benchmarks;

import io.chronofabric.api.time.TimeSource;
import io.chronofabric.bus.internal.BusVsFloor;
import io.chronofabric.bus.internal.SameThread;
import io.chronofabric.bus.internal.Topologies;
import io.chronofabric.bus.internal.Waits;
import io.chronofabric.time.internal.SystemTimeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The bus part of the Suite's #17 aims alone, for before/after pairs on a busy machine (about a
 * minute): in each round, back to back, 1P1C raw hand-off and bus, 3P1C raw and bus, 1P4C raw
 * SPSC x4, raw MPSC x4 and bus, the same-thread handler and Event Admin sendEvent (Timeout=0) in
 * Felix, one-way latency (busy-spin raw hand-off, bus, stamped ping-pong); then the median and
 * range of each per-round ratio. The floors wait with the bus's strategy.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.benchmarks.BusQuick [rounds] [wait] [ea=true|false]</pre>
 */
public final class BusQuick {

    private BusQuick() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String wait = args.length > 1 ? args[1] : "backoff";
        boolean ea = args.length <= 2 || Boolean.parseBoolean(args[2]);
        int m = 3_000_000;
        TimeSource time = new SystemTimeSource();
        System.out.printf(Locale.ROOT, "BusQuick: %d rounds, wait %s, %d cores, load %s%n", rounds, wait,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        EventAdminPeer eaZero = ea ? new EventAdminPeer(true) : null;
        try {
            // warm-up
            BusVsFloor.raw(m / 5, Waits.of(wait));
            BusVsFloor.bus(m / 5, wait, time);
            SameThread.throughput(m / 5, 1, time);
            Topologies.raw3P1C(m / 5, wait);
            Topologies.bus3P1C(m / 5, time, wait);
            Topologies.bus1P4C(m / 15, time, wait);
            if (eaZero != null) {
                eaZero.throughput(60_000, true);
            }
            for (int r = 0; r < rounds; r++) {
                double raw = BusVsFloor.raw(m, Waits.of(wait));
                double bus = BusVsFloor.bus(m, wait, time);
                double raw3 = Topologies.raw3P1C(m, wait);
                double bus3 = Topologies.bus3P1C(m, time, wait);
                double raw4 = Topologies.raw1P4C(m / 3, wait);
                double raw4m = Topologies.raw1P4CMpsc(m / 3, wait);
                double bus4 = Topologies.bus1P4C(m / 3, time, wait);
                double direct = SameThread.throughput(m, 1, time);
                double send0 = eaZero != null ? eaZero.throughput(300_000, true) : Double.NaN;
                Histogram c = BusVsFloor.rawLatency(50_000, Waits.busySpin());
                Histogram d = BusVsFloor.busLatency(50_000, "busy-spin", time);
                long[] f = Topologies.pingPongStampedNanos(50_000);
                long stampedP50 = f[f.length / 2];
                add(ratios, "1P1C bus / raw", bus / raw);
                add(ratios, "3P1C bus / raw", bus3 / raw3);
                add(ratios, "1P4C bus / raw SPSC x4", bus4 / raw4);
                add(ratios, "1P4C bus / raw MPSC x4", bus4 / raw4m);
                if (eaZero != null) {
                    add(ratios, "same-thread / EA sendEvent T=0", direct / send0);
                }
                add(ratios, "p50 bus busy-spin / stamped ping-pong", (double) d.getValueAtPercentile(50) / stampedP50);
                add(ratios, "p50 bus busy-spin / raw hand-off busy-spin",
                        (double) d.getValueAtPercentile(50) / c.getValueAtPercentile(50));
                System.out.printf(Locale.ROOT, "round %d (load %s): 1P1C raw %,.0f bus %,.0f | 3P1C raw %,.0f bus %,.0f | 1P4C spsc %,.0f mpsc %,.0f "
                        + "bus %,.0f | same-thread %,.0f EA %,.0f | p50 raw %d bus %d stamped %d ns%n", r + 1, loadAverage(), raw, bus,
                        raw3, bus3, raw4, raw4m, bus4, direct, send0, c.getValueAtPercentile(50), d.getValueAtPercentile(50), stampedP50);
            }
        } finally {
            if (eaZero != null) {
                eaZero.close();
            }
        }
        System.out.println("RATIOS (median of per-round ratios [min, max])");
        ratios.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-44s %6.2f  [%.2f, %.2f]%n", k, median(v), Collections.min(v),
                Collections.max(v)));
        System.exit(0);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void add(Map<String, List<Double>> m, String k, double v) {
        m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
