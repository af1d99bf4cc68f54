package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.bus.internal.Buses;
import io.chronofabric.bus.internal.PhaseCoherenceBus;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * End to end through the real bus: Sample packets published at a paced rate, a whiteboard-style
 * handler feeding DRPP's engine (as the DS component does), pattern events published back on the
 * bus and received by a second handler. The stream is a 50 Hz tone that is on for one Goertzel block
 * (100 samples at 1 kHz) and off for the next, so every second block completes a RESONANCE event.
 * Latency: the receiving handler's clock minus the publish stamp of the sample that completed the
 * block (the event carries it as its time), i.e. publish → DRPP → publish → delivery.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.clogic.drpp.internal.DrppEndToEnd [rate=100000] [seconds=5]</pre>
 */
public final class DrppEndToEnd {

    private DrppEndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        TimeSource time = new SystemTimeSource();
        PhaseCoherenceBus bus = Buses.create(1 << 16, "backoff", time, new HlcClockImpl(time, 1, 500_000_000L));
        Histogram latency = new Histogram(3_600_000_000L, 3);
        RoutingMetadata routing = RoutingMetadata.defaults(ComponentId.DRPP);
        DrppEngine engine = new DrppEngine(DrppBenchConfigs.settings(Map.of("sample_rate", 1000.0, "goertzel_frequencies",
                new String[] {"50"}, "goertzel_block", 100, "fft_window", 0, "ksg_period", 0, "mp_period", 0, "cusum_threshold", 1000.0)),
                e -> bus.publish(PhasePacket.of(e, routing)), Runnable::run, time::nowNanos);
        Buses.addHandler(bus, (PacketHandler<Sample>) p -> engine.onSample(p.payload().stream(), p.payload().value(), p.publishedAtNanos()),
                Sample.class);
        Buses.addHandler(bus, (PacketHandler<PatternEvent>) p -> {
            long d = time.nowNanos() - p.payload().timeNanos();
            synchronized (latency) {
                latency.recordValue(Math.max(0, d));
            }
        }, PatternEvent.class);
        long total = (long) rate * seconds;
        long period = 1_000_000_000L / rate;
        RoutingMetadata src = RoutingMetadata.defaults(ComponentId.SYSTEM);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait - 40_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            boolean on = (i / 100) % 2 == 0;
            double v = on ? Math.sin(2 * Math.PI * 50 * i / 1000.0) : 0.001 * ((i * 7919) % 13 - 6);
            bus.publish(PhasePacket.of(new Sample("tone", v, 0), src));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(500);
        bus.close();
        System.out.println(String.format(Locale.ROOT, "%d samples at %d/s in %.2f s (%.0f/s achieved); %d pattern events; engine skipped %d",
                total, rate, elapsed, total / elapsed, latency.getTotalCount(), engine.skipped.get()));
        System.out.println(String.format(Locale.ROOT, "sample publish -> pattern event delivered: p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us",
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                latency.getMaxValue() / 1e3));
    }
}
