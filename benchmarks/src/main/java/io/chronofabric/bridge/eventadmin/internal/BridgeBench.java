package io.chronofabric.bridge.eventadmin.internal;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.benchmarks.Publishers;
import io.chronofabric.bridge.common.internal.BadEventException;
import io.chronofabric.bridge.common.internal.BridgeProperties;
import io.chronofabric.bus.internal.Buses;
import io.chronofabric.bus.internal.ChannelHandlers;
import io.chronofabric.bus.internal.PhaseCoherenceBus;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.io.File;
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
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The Event Admin bridge's cost per event next to Event Admin's own and the bare bus, in one JVM
 * and one run, rounds alternating between the paths:
 * <ul>
 * <li><b>bare bus</b>: publish on a channel, a queued handler counts (and a same-thread one);</li>
 * <li><b>EventAdmin postEvent / sendEvent</b>: Felix EventAdmin 1.6.4 in a real Felix 7.0.5 (default
 *     configuration), an EventHandler counts;</li>
 * <li><b>bridge out</b> (packet to Event): publish on the bus; the bridge's outbound handler code
 *     ({@code BridgeCore.forward}: convert, postEvent) on the bus dispatcher, as deployed; an
 *     EventHandler counts. The same with the bridge as a same-thread handler (forward runs inside
 *     {@code publish}) is directly comparable with a plain postEvent from the publisher;</li>
 * <li><b>bridge in</b> (Event to packet): postEvent on {@code chronofabric/in/bench}; the bridge's
 *     inbound handler ({@code BridgeCore.receive}: loop check, convert, HLC merge, publish) on
 *     EventAdmin's thread; a bus handler counts (same-thread: comparable with a plain postEvent;
 *     queued: one more hand-off, as deployed);</li>
 * <li><b>conversion alone</b>: {@code toEvent} and {@code toPacket} in a loop on one thread (the
 *     bridge's own CPU per event, no hand-off).</li>
 * </ul>
 * Throughput rounds keep at most {@value #WINDOW} events in flight, so no queue overflows. The
 * bridge's added cost is the per-round difference to the plain postEvent of the same round
 * (rounds alternate the paths, so load from elsewhere hits them alike), reported as the median.
 *
 * <p>Wall-clock throughput of Event Admin's asynchronous delivery varies several-fold on a shared
 * machine, so the run also measures <b>CPU time on the calling thread</b> per event
 * ({@code ThreadMXBean}), which other processes' load barely moves: postEvent alone; a publish whose
 * same-thread bridge handler converts and posts (the bridge's outbound work plus the postEvent);
 * the bridge's inbound work ({@code BridgeCore.receive}, what Event Admin's thread runs per Event);
 * sendEvent to one handler; and a bare publish. Asynchronous deliveries drain between rounds.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.bridge.eventadmin.internal.BridgeBench [events] [rounds]</pre>
 */
public final class BridgeBench {

    private static final int WINDOW = 16_384;
    private static final String OUT_TOPIC = "chronofabric/bench/out";
    private static final String BARE = "bare bus (publish -> queued handler)";
    private static final String BARE_DIRECT = "bare bus (publish -> same-thread handler)";
    private static final String POST = "EventAdmin postEvent (-> handler)";
    private static final String SEND = "EventAdmin sendEvent (-> handler)";
    private static final String OUT_DIRECT = "bridge out, same-thread (publish+bridge -> postEvent)";
    private static final String OUT = "bridge out, queued (publish -> bridge -> postEvent)";
    private static final String IN_DIRECT = "bridge in, same-thread (postEvent -> bridge+publish)";
    private static final String IN = "bridge in, queued (postEvent -> bridge -> bus -> handler)";

    /** A payload like an application's: a small record. */
    record Reading(String sensor, double value) {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "Event Admin bridge benchmark, %s, %d cores, Java %s, %,d events per round, %d rounds%n",
                Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), events, rounds);
        TimeSource time = new SystemTimeSource();
        HlcClockImpl hlc = new HlcClockImpl(time, 1, 500_000_000L);
        PhaseCoherenceBus bus = Buses.create(1 << 16, System.getProperty("bench.wait", "backoff"), time, hlc);
        Path storage = Files.createTempDirectory("felix-bridge-bench");
        Map<String, String> props = new HashMap<>();
        props.put("org.osgi.framework.storage", storage.toString());
        props.put("org.osgi.framework.storage.clean", "onFirstInit");
        props.put("org.osgi.framework.system.packages.extra", "org.osgi.service.event;version=1.4.0");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        framework.start();
        try {
            BundleContext ctx = framework.getBundleContext();
            ctx.installBundle(eventAdminBundle().toURI().toString()).start();
            EventAdmin eventAdmin = ctx.getService(ctx.getServiceReference(EventAdmin.class));
            EventConverter converter = new EventConverter("bench-origin", "chronofabric", BridgeProperties.CHANNEL, ComponentId.SYSTEM,
                    DeliveryOptions.BEST_EFFORT);
            BridgeCore core = new BridgeCore(converter, () -> bus, () -> hlc, () -> eventAdmin);
            AtomicLong received = new AtomicLong();

            // counters at each path's end
            register(ctx, "bench/ea", null, e -> received.incrementAndGet());
            register(ctx, OUT_TOPIC, null, e -> received.incrementAndGet());
            PacketHandler<Object> count = p -> received.incrementAndGet();
            ChannelHandlers.add(bus, count, "bench.bare");
            ChannelHandlers.addSameThread(bus, count, "bench.bare-direct");
            ChannelHandlers.add(bus, count, "in.queued");
            ChannelHandlers.addSameThread(bus, count, "in.direct");
            // the bridge's two ends, registered as EventAdminBridge registers them
            PacketHandler<Object> outbound = p -> core.forward(p, OUT_TOPIC);
            ChannelHandlers.add(bus, outbound, "bench.out");
            ChannelHandlers.addSameThread(bus, outbound, "bench.out-direct");
            register(ctx, "chronofabric/in/*", converter.notOwnFilter(), core::receive);

            Map<String, Publishers.Send> sends = new LinkedHashMap<>();
            Reading reading = new Reading("t-1", 21.5);
            sends.put(BARE, (p, i) -> bus.publish(PhasePacket.builder(reading).channel("bench.bare").build()));
            sends.put(BARE_DIRECT, (p, i) -> bus.publish(PhasePacket.builder(reading).channel("bench.bare-direct").build()));
            sends.put(POST, (p, i) -> eventAdmin.postEvent(new Event("bench/ea", Map.of("payload", reading, "seq", i))));
            sends.put(SEND, (p, i) -> eventAdmin.sendEvent(new Event("bench/ea", Map.of("payload", reading, "seq", i))));
            sends.put(OUT_DIRECT, (p, i) -> bus.publish(PhasePacket.builder(reading).channel("bench.out-direct").build()));
            sends.put(OUT, (p, i) -> bus.publish(PhasePacket.builder(reading).channel("bench.out").build()));
            sends.put(IN_DIRECT, (p, i) -> eventAdmin.postEvent(new Event("chronofabric/in/direct", Map.of("payload", reading, "seq", i))));
            sends.put(IN, (p, i) -> eventAdmin.postEvent(new Event("chronofabric/in/queued", Map.of("payload", reading, "seq", i))));
            Map<String, List<Double>> nanos = new LinkedHashMap<>();
            sends.keySet().forEach(k -> nanos.put(k, new ArrayList<>()));
            // warm-up
            for (var e : sends.entrySet()) {
                run(e.getValue(), events / 5, received);
            }
            for (int r = 0; r < rounds; r++) {
                StringBuilder line = new StringBuilder("round " + (r + 1) + " (ns per event, in the order below):");
                for (var e : sends.entrySet()) {
                    double ns = 1e9 / run(e.getValue(), events, received);
                    nanos.get(e.getKey()).add(ns);
                    line.append(String.format(Locale.ROOT, " %.0f", ns));
                }
                System.out.println(line);
            }
            if (bus.stats().dropped() > 0) {
                throw new IllegalStateException("the bus dropped " + bus.stats().dropped() + " packets: lower the window");
            }
            System.out.println("THROUGHPUT, time per event (median of rounds; min..max):");
            for (var e : nanos.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-55s %7.0f ns  (%.0f..%.0f)%n", e.getKey(), median(e.getValue()),
                        Collections.min(e.getValue()), Collections.max(e.getValue()));
            }
            System.out.println("ADDED by the bridge, per event (median of per-round differences to the same round's postEvent):");
            for (String k : List.of(OUT_DIRECT, IN_DIRECT, OUT, IN)) {
                List<Double> diff = new ArrayList<>();
                List<Double> ratio = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    diff.add(nanos.get(k).get(r) - nanos.get(POST).get(r));
                    ratio.add(nanos.get(k).get(r) / nanos.get(POST).get(r));
                }
                System.out.printf(Locale.ROOT, "  %-55s %+7.0f ns  (x%.2f of postEvent; ratio min..max %.2f..%.2f)%n", k, median(diff),
                        median(ratio), Collections.min(ratio), Collections.max(ratio));
            }
            callerCpu(eventAdmin, bus, core, reading, received, Math.max(events, 100_000), rounds);
            conversions(converter, reading);
            System.out.printf(Locale.ROOT, "bridge counters: posted %d, received %d, published %d, bad %d, post failed %d%n",
                    core.posted.sum(), core.received.sum(), core.published.sum(), core.badEvents.sum(), core.postFailed.sum());
        } finally {
            bus.close();
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** Events per second for {@code n} events of one path, one publisher thread, bounded in flight. */
    private static double run(Publishers.Send send, int n, AtomicLong received) throws InterruptedException {
        received.set(0);
        return Publishers.drive(1, n, 1, WINDOW, received, send);
    }

    /** CPU ns per event spent on the calling thread by each operation; see the class comment. */
    private static void callerCpu(EventAdmin eventAdmin, PhaseCoherenceBus bus, BridgeCore core, Reading reading, AtomicLong received,
            int n, int rounds) throws InterruptedException {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Runnable> ops = new LinkedHashMap<>();
        Event inbound = new Event("chronofabric/in/direct", Map.of("payload", reading, "seq", 1));
        Event inboundQueued = new Event("chronofabric/in/queued", Map.of("payload", reading, "seq", 1));
        ops.put("EventAdmin postEvent", () -> eventAdmin.postEvent(new Event("bench/ea", Map.of("payload", reading, "seq", 1))));
        ops.put("publish + bridge out (same-thread: convert + postEvent)",
                () -> bus.publish(PhasePacket.builder(reading).channel("bench.out-direct").build()));
        ops.put("bridge in: BridgeCore.receive (convert, HLC, publish queued)", () -> core.receive(inboundQueued));
        ops.put("bridge in: BridgeCore.receive (.. publish to same-thread handler)", () -> core.receive(inbound));
        ops.put("EventAdmin sendEvent (one handler)", () -> eventAdmin.sendEvent(new Event("bench/ea", Map.of("payload", reading, "seq", 1))));
        ops.put("bare bus publish (queued handler)", () -> bus.publish(PhasePacket.builder(reading).channel("bench.bare").build()));
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        ops.keySet().forEach(k -> cpu.put(k, new ArrayList<>()));
        int batch = 8_192; // below the bus queue, so queued deliveries never overflow
        for (int r = -1; r < rounds; r++) { // round -1 warms up
            for (var e : ops.entrySet()) {
                long spent = 0;
                for (int done = 0; done < n; done += batch) {
                    received.set(0);
                    long t0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < batch; i++) {
                        e.getValue().run();
                    }
                    spent += mx.getCurrentThreadCpuTime() - t0;
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (received.get() < batch && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    if (received.get() < batch) {
                        throw new IllegalStateException(e.getKey() + ": " + received.get() + " of " + batch + " delivered in 60 s");
                    }
                }
                if (r >= 0) {
                    cpu.get(e.getKey()).add(spent / (double) ((n + batch - 1) / batch * batch));
                }
            }
        }
        System.out.printf(Locale.ROOT, "CPU ON THE CALLING THREAD per event (median of %d rounds of %,d; min..max):%n", rounds, n);
        for (var e : cpu.entrySet()) {
            System.out.printf(Locale.ROOT, "  %-66s %6.0f ns  (%.0f..%.0f)%n", e.getKey(), median(e.getValue()),
                    Collections.min(e.getValue()), Collections.max(e.getValue()));
        }
        double post = median(cpu.get("EventAdmin postEvent"));
        double out = median(cpu.get("publish + bridge out (same-thread: convert + postEvent)"));
        System.out.printf(Locale.ROOT, "  => bridge out adds %.0f ns of caller CPU to a postEvent (x%.2f)%n", out - post, out / post);
    }

    /** The bridge's own work per event, without any hand-off: toEvent and toPacket, CPU time of this thread. */
    private static void conversions(EventConverter converter, Reading reading) {
        PhasePacket<Reading> packet = PhasePacket.builder(reading).channel("bench.out").build();
        Event event = new Event("chronofabric/in/bench", Map.of("payload", reading, "seq", 1));
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        int n = 2_000_000;
        List<Double> toEvent = new ArrayList<>();
        List<Double> toPacket = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink += converter.toEvent(packet, OUT_TOPIC).hashCode();
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                try {
                    sink += converter.toPacket(event).hashCode();
                } catch (BadEventException e) {
                    throw new IllegalStateException(e);
                }
            }
            long t2 = mx.getCurrentThreadCpuTime();
            if (r > 0) { // round 0 is warm-up
                toEvent.add((t1 - t0) / (double) n);
                toPacket.add((t2 - t1) / (double) n);
            }
        }
        System.out.printf(Locale.ROOT, "CONVERSION alone (CPU of one thread, median of 5 x %,d): packet->Event %.0f ns, Event->packet %.0f ns (sink %d)%n",
                n, median(toEvent), median(toPacket), sink & 1);
    }

    private static void register(BundleContext ctx, String topic, String filter, EventHandler handler) {
        Hashtable<String, Object> hp = new Hashtable<>();
        hp.put(EventConstants.EVENT_TOPIC, new String[] {topic});
        if (filter != null) {
            hp.put(EventConstants.EVENT_FILTER, filter);
        }
        ctx.registerService(EventHandler.class, handler, hp);
    }

    private static File eventAdminBundle() {
        File f = new File(System.getProperty("chronofabric.osgi.dir", "benchmarks/target/osgi"), "org.apache.felix.eventadmin-1.6.4.jar");
        if (!f.isFile()) {
            throw new IllegalStateException("EventAdmin bundle not found at " + f.getAbsolutePath()
                    + " (build the benchmarks module, or set -Dchronofabric.osgi.dir)");
        }
        return f;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
