package io.chronofabric.bridge.typedevent.internal;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.benchmarks.Publishers;
import io.chronofabric.bus.internal.Buses;
import io.chronofabric.bus.internal.ChannelHandlers;
import io.chronofabric.bus.internal.PhaseCoherenceBus;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.typedevent.TypedEventBus;
import org.osgi.service.typedevent.TypedEventConstants;
import org.osgi.service.typedevent.UntypedEventHandler;

/**
 * The Typed Events bridge's cost per event next to the Aries Typed Event bus 0.0.2 alone (in a real
 * Felix 7.0.5) and the bare bus, in one run: CPU time on the calling thread per event (steady on a
 * shared machine) and wall-clock time per event with at most {@value #WINDOW} in flight. As
 * {@code BridgeBench} does for Event Admin: the bridge's outbound code runs as a same-thread bus
 * handler ({@code TypedBridgeCore.forward}: packet to event data, deliverUntyped), its inbound code
 * ({@code TypedBridgeCore.receive}: event data to packet, HLC, publish) is what the Typed Event
 * bus's thread runs per event.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.bridge.typedevent.internal.TypedBridgeBench [events] [rounds]</pre>
 */
public final class TypedBridgeBench {

    private static final int WINDOW = 8_192;

    /** A DTO, as the Typed Event specification expects. */
    public static final class Reading {
        public String sensor = "t-1";
        public double value = 21.5;
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "Typed Events bridge benchmark, %s, %d cores, Java %s, %,d events per round, %d rounds%n",
                Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), events, rounds);
        TimeSource time = new SystemTimeSource();
        HlcClockImpl hlc = new HlcClockImpl(time, 1, 500_000_000L);
        PhaseCoherenceBus bus = Buses.create(1 << 16, System.getProperty("bench.wait", "backoff"), time, hlc);
        Framework framework = startFelix();
        try {
            BundleContext ctx = framework.getBundleContext();
            TypedEventBus typed = typedBus(ctx);
            TypedConverter converter = new TypedConverter("bench-origin", "chronofabric", ComponentId.SYSTEM, DeliveryOptions.BEST_EFFORT);
            TypedBridgeCore core = new TypedBridgeCore(converter, () -> bus, () -> hlc, () -> typed);
            AtomicLong received = new AtomicLong();
            UntypedEventHandler count = (topic, event) -> received.incrementAndGet();
            register(ctx, count, "bench/typed");
            register(ctx, count, "chronofabric/bench/out");
            PacketHandler<Object> busCount = p -> received.incrementAndGet();
            ChannelHandlers.add(bus, busCount, "bench.bare");
            ChannelHandlers.add(bus, busCount, "in.queued");
            PacketHandler<Object> outbound = p -> core.forward(p, "chronofabric/bench/out");
            ChannelHandlers.addSameThread(bus, outbound, "bench.out-direct");

            Reading reading = new Reading();
            Map<String, Object> data = Map.of("sensor", "t-1", "value", 21.5);
            Map<String, Publishers.Send> paths = new LinkedHashMap<>();
            paths.put("TypedEventBus deliver (DTO)", (p, i) -> typed.deliver("bench/typed", reading));
            paths.put("TypedEventBus deliverUntyped (map)", (p, i) -> typed.deliverUntyped("bench/typed", data));
            paths.put("publish + bridge out (same-thread: convert + deliverUntyped)",
                    (p, i) -> bus.publish(PhasePacket.builder(reading).channel("bench.out-direct").build()));
            paths.put("bridge in: TypedBridgeCore.receive (convert, HLC, publish queued)",
                    (p, i) -> core.receive("chronofabric/in/queued", data));
            paths.put("bare bus publish (queued handler)", (p, i) -> bus.publish(PhasePacket.builder(reading).channel("bench.bare").build()));

            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            Map<String, List<Double>> wall = new LinkedHashMap<>();
            paths.keySet().forEach(k -> {
                cpu.put(k, new ArrayList<>());
                wall.put(k, new ArrayList<>());
            });
            for (int r = -1; r < rounds; r++) { // round -1 warms up
                for (var e : paths.entrySet()) {
                    // caller CPU: batches below the queues' capacity, drained between batches
                    long spent = 0;
                    int batch = WINDOW;
                    int done = 0;
                    for (; done < events; done += batch) {
                        received.set(0);
                        long t0 = mx.getCurrentThreadCpuTime();
                        for (int i = 0; i < batch; i++) {
                            e.getValue().send(0, i);
                        }
                        spent += mx.getCurrentThreadCpuTime() - t0;
                        drain(received, batch, e.getKey());
                    }
                    received.set(0);
                    double rate = Publishers.drive(1, events, 1, WINDOW, received, e.getValue());
                    if (r >= 0) {
                        cpu.get(e.getKey()).add(spent / (double) done);
                        wall.get(e.getKey()).add(1e9 / rate);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "CPU ON THE CALLING THREAD per event (median of %d rounds; min..max):%n", rounds);
            cpu.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-66s %6.0f ns  (%.0f..%.0f)%n", k, median(v), Collections.min(v),
                    Collections.max(v)));
            double plain = median(cpu.get("TypedEventBus deliverUntyped (map)"));
            double out = median(cpu.get("publish + bridge out (same-thread: convert + deliverUntyped)"));
            System.out.printf(Locale.ROOT, "  => bridge out adds %.0f ns of caller CPU to a deliverUntyped (x%.2f)%n", out - plain, out / plain);
            System.out.println("THROUGHPUT, wall-clock time per event (median of rounds; min..max):");
            wall.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-66s %6.0f ns  (%.0f..%.0f)%n", k, median(v), Collections.min(v),
                    Collections.max(v)));
            System.out.printf(Locale.ROOT, "bridge counters: delivered %d, received %d, published %d, unconvertible %d, bad %d%n",
                    core.delivered.sum(), core.received.sum(), core.published.sum(), core.unconvertible.sum(), core.badEvents.sum());
        } finally {
            bus.close();
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    private static void drain(AtomicLong received, int expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (received.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        if (received.get() < expected) {
            throw new IllegalStateException(what + ": " + received.get() + " of " + expected + " delivered in 60 s");
        }
    }

    private static Framework startFelix() throws Exception {
        Path storage = Files.createTempDirectory("felix-typed-bridge-bench");
        Map<String, String> props = new HashMap<>();
        props.put("org.osgi.framework.storage", storage.toString());
        props.put("org.osgi.framework.storage.clean", "onFirstInit");
        props.put("org.osgi.framework.system.packages.extra", "org.osgi.service.typedevent;version=1.0,"
                + "org.osgi.service.typedevent.monitor;version=1.0,org.osgi.service.typedevent.annotations;version=1.0,"
                + "org.osgi.util.pushstream;version=1.0.2,org.osgi.util.promise;version=1.2.0,org.osgi.util.function;version=1.2.0");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String jar : List.of("org.apache.felix.configadmin-1.9.26.jar", "org.osgi.util.converter-1.0.9.jar",
                "org.apache.aries.component-dsl.component-dsl-1.2.2.jar", "slf4j-api-1.7.36.jar", "slf4j-simple-1.7.36.jar",
                "org.apache.aries.typedevent.bus-0.0.2.jar")) {
            File f = new File(System.getProperty("chronofabric.osgi.dir", "benchmarks/target/osgi"), jar);
            if (!f.isFile()) {
                throw new IllegalStateException("Bundle not found: " + f.getAbsolutePath() + " (build the benchmarks module)");
            }
            bundles.add(ctx.installBundle(f.toURI().toString()));
        }
        for (Bundle b : bundles) {
            b.start();
        }
        return framework;
    }

    private static TypedEventBus typedBus(BundleContext ctx) throws InterruptedException {
        var ref = ctx.getServiceReference(TypedEventBus.class);
        long end = System.currentTimeMillis() + 10_000;
        while (ref == null && System.currentTimeMillis() < end) {
            Thread.sleep(20);
            ref = ctx.getServiceReference(TypedEventBus.class);
        }
        if (ref == null) {
            throw new IllegalStateException("The Aries Typed Event bus did not start in Felix");
        }
        return ctx.getService(ref);
    }

    private static void register(BundleContext ctx, UntypedEventHandler handler, String topic) {
        Hashtable<String, Object> hp = new Hashtable<>();
        hp.put(TypedEventConstants.TYPED_EVENT_TOPICS, new String[] {topic});
        ctx.registerService(UntypedEventHandler.class, handler, hp);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
