package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.bus.Subscription;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * A short bus benchmark inside the running runtime on a private channel: first throughput (one
 * publisher, N receiver threads, up to 4096 packets in flight per subscriber), then one-way latency
 * with one packet in flight (publish to take), so queueing does not inflate it. With
 * {@code --rate N}: instead, publish-to-handler latency at N packets/s through a whiteboard
 * handler (the dispatcher path users run). With {@code --floor}: each figure next to a raw
 * hand-off between two threads measured in this JVM, waiting with the bus's wait strategy.
 */
@Service
@Command(scope = "csf", name = "bench", description = "Runs a short bus benchmark here: one publisher, N subscribers on a private channel; prints throughput and latency percentiles"
        + " (--rate N: publish-to-handler latency at N packets/s; --floor: next to a raw hand-off in this JVM).")
public class BenchCommand extends BusCommandSupport {

    @Option(name = "-n", aliases = "--count", description = "Packets to publish (default 2000000).")
    int count = 2_000_000;

    @Option(name = "-s", aliases = "--subscribers", description = "Subscribers, each drained by its own thread (default 1).")
    int subscribers = 1;

    @Option(name = "-w", aliases = "--warmup", description = "Packets published first and not measured, so the JIT has compiled the"
            + " path (default 200000; 0 for none).")
    int warmup = 200_000;

    @Option(name = "-l", aliases = "--latency-samples", description = "Packets sent one at a time for the latency figures (default 20000).")
    int latencySamples = 20_000;

    @Option(name = "-r", aliases = "--rate", description = "Instead of the throughput run: publish at this many packets/s to a whiteboard"
            + " handler and print publish-to-handler latency (1..1000000; about 2 s of packets, at most --latency-samples).")
    int rate;

    @Option(name = "-f", aliases = "--floor", description = "Also measure a raw hand-off between two threads in this JVM (a ring, the"
            + " consumer waiting with the bus's wait strategy) and print each bus figure next to it, with the ratio.")
    boolean floor;

    @Reference(optional = true)
    TimeSource time;

    @Reference
    org.osgi.framework.BundleContext bundleContext;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        if (count <= 0) {
            throw new IllegalArgumentException("--count " + count + " must be positive");
        }
        if (subscribers < 1 || subscribers > 16) {
            throw new IllegalArgumentException("--subscribers " + subscribers + " is out of range 1..16");
        }
        if (time == null) {
            throw new IllegalStateException("csf:bench needs the TimeSource service, which is not registered");
        }
        String channel = "csf.bench." + Long.toHexString(ThreadLocalRandom.current().nextLong());
        if (latencySamples < 0) {
            throw new IllegalArgumentException("--latency-samples " + latencySamples + " is negative");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup " + warmup + " is negative");
        }
        if (rate < 0 || rate > 1_000_000) {
            throw new IllegalArgumentException("--rate " + rate + " is out of range 1..1000000");
        }
        if (rate > 0) {
            rated(out, channel);
            return;
        }
        long perSubscriberTotal = (long) warmup + count;
        List<Receiver<Object>> receivers = new ArrayList<>();
        List<Thread> takers = new ArrayList<>();
        AtomicLong taken = new AtomicLong();
        java.util.concurrent.atomic.AtomicLongArray perSubscriber = new java.util.concurrent.atomic.AtomicLongArray(subscribers);
        try {
            for (int s = 0; s < subscribers; s++) {
                receivers.add(bus.subscribe(Subscription.toChannel(channel)));
            }
            for (int s = 0; s < subscribers; s++) {
                Receiver<Object> r = receivers.get(s);
                int index = s;
                Thread t = new Thread(() -> {
                    long got = 0;
                    try {
                        while (got < perSubscriberTotal) {
                            PhasePacket<Object> p = r.take(1, TimeUnit.SECONDS);
                            if (p == null) {
                                if (r.isClosed()) {
                                    return;
                                }
                                continue;
                            }
                            got++;
                            perSubscriber.lazySet(index, got);
                            taken.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "csf-bench-subscriber-" + s);
                t.start();
                takers.add(t);
            }
            RoutingMetadata routing = RoutingMetadata.defaults(ComponentId.SYSTEM);
            long window = 4096;
            long step = Math.max(1, perSubscriberTotal / 20);
            String payload = "bench";
            long start = System.nanoTime();
            progress(out, 0);
            for (long i = 0; i < perSubscriberTotal; i++) {
                if (i == warmup) {
                    start = System.nanoTime(); // the measured part starts after the warm-up
                }
                // flow control on the slowest subscriber, so no queue ever fills (best effort would drop)
                while (i - slowest(perSubscriber) > window) {
                    Thread.onSpinWait();
                }
                bus.publish(PhasePacket.of(payload, channel, routing));
                if (i % step == step - 1) {
                    progress(out, (int) (100L * (i + 1) / perSubscriberTotal));
                }
            }
            for (Thread t : takers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            long elapsed = System.nanoTime() - start;
            progress(out, 100);
            out.println();
            // deliveries of the measured packets (the warm-up's, even those that land after the start, are not counted)
            long delivered = Math.max(0, taken.get() - (long) warmup * subscribers);
            out.println(String.format(Locale.ROOT, "Published %,d packets to %d subscriber(s) on %s in %.3f s, after %,d unmeasured",
                    count, subscribers, channel, elapsed / 1e9, warmup));
            out.println(String.format(Locale.ROOT, "Throughput : %,.0f packets/s published, %,.0f deliveries/s", count * 1e9 / elapsed,
                    delivered * 1e9 / elapsed));
            long arrived = taken.get();
            long expected = perSubscriberTotal * subscribers;
            if (arrived < expected) {
                out.println("Warning    : only " + arrived + " of " + expected + " deliveries arrived");
            }
            double busRate = count * 1e9 / elapsed;
            if (floor) {
                try (HandOffFloor f = newFloor()) {
                    f.throughput(Math.min(warmup, 200_000), window); // its warm-up
                    double raw = f.throughput(count, window);
                    out.println(String.format(Locale.ROOT, "Floor      : %,.0f packets/s raw hand-off to 1 thread (wait strategy %s); bus/floor %.2f",
                            raw, f.strategy(), busRate / raw));
                }
            }
            if (latencySamples > 0) {
                long[] all = latency(channel, routing);
                out.println(String.format(Locale.ROOT, "Latency    : p50 %s, p99 %s, p99.9 %s, max %s (one packet in flight, publish to take, %,d samples)",
                        Durations.format(pct(all, 50)), Durations.format(pct(all, 99)), Durations.format(pct(all, 99.9)),
                        Durations.format(all[all.length - 1]), all.length));
                if (floor) {
                    try (HandOffFloor f = newFloor()) {
                        f.latency(Math.min(latencySamples, 20_000)); // warm-up
                        long[] raw = sorted(f.latency(latencySamples));
                        printFloorLatency(out, raw, all, f.strategy());
                    }
                }
            }
        } finally {
            receivers.forEach(Receiver::close);
            takers.forEach(Thread::interrupt);
        }
    }

    /** Paced publishing to a whiteboard handler: the dispatcher path at {@link #rate} packets/s. */
    private void rated(PrintStream out, String channel) throws InterruptedException {
        int samples = Math.max(200, (int) Math.min(latencySamples <= 0 ? 20_000 : latencySamples, 2L * rate));
        long[] lat = new long[samples];
        AtomicLong handled = new AtomicLong();
        io.chronofabric.api.bus.PacketHandler<Object> handler = p -> {
            long n = handled.get();
            if (n < lat.length) {
                lat[(int) n] = time.nowNanos() - p.publishedAtNanos();
            }
            handled.lazySet(n + 1);
        };
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put(io.chronofabric.api.bus.PacketHandler.CHANNEL, channel);
        org.osgi.framework.ServiceRegistration<?> reg = bundleContext.registerService(io.chronofabric.api.bus.PacketHandler.class.getName(),
                handler, props);
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (bus.subscriberCount(channel) == 0) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("the bus did not subscribe the benchmark's handler on " + channel + " within 10 s");
                }
                Thread.sleep(5);
            }
            RoutingMetadata routing = RoutingMetadata.defaults(ComponentId.SYSTEM);
            int warm = Math.min(samples, Math.max(1000, samples / 4));
            publishPaced(channel, routing, Math.max(rate, 10_000), warm); // warm-up, not measured
            awaitCount(handled, warm);
            handled.set(0);
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime() + 1_000_000;
            for (int i = 0; i < samples; i++) {
                HandOffFloor.Pacing.until(start + i * period);
                bus.publish(PhasePacket.of("rate", channel, routing));
            }
            awaitCount(handled, samples);
        } finally {
            reg.unregister();
        }
        long[] all = sorted(lat);
        out.println(String.format(Locale.ROOT, "Rate       : %,d packets/s to a whiteboard handler on %s, wait strategy %s", rate, channel,
                busWaitStrategy()));
        out.println(String.format(Locale.ROOT, "Latency    : p50 %s, p99 %s, p99.9 %s, max %s (publish to handler, %,d samples)",
                Durations.format(pct(all, 50)), Durations.format(pct(all, 99)), Durations.format(pct(all, 99.9)),
                Durations.format(all[all.length - 1]), all.length));
        if (floor) {
            try (HandOffFloor f = newFloor()) {
                f.latencyAtRate(Math.min(samples, 2000), Math.max(rate, 10_000)); // warm-up
                long[] raw = sorted(f.latencyAtRate(samples, rate));
                printFloorLatency(out, raw, all, f.strategy());
            }
        }
    }

    private void publishPaced(String channel, RoutingMetadata routing, int perSecond, int n) {
        long period = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            HandOffFloor.Pacing.until(start + i * period);
            bus.publish(PhasePacket.of("warm-up", channel, routing));
        }
    }

    private static void awaitCount(AtomicLong count, long n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count.get() < n) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("only " + count.get() + " of " + n + " packets reached the handler within 30 s");
            }
            Thread.sleep(1);
        }
    }

    private static void printFloorLatency(PrintStream out, long[] raw, long[] bus, String strategy) {
        out.println(String.format(Locale.ROOT, "Floor      : p50 %s, p99 %s, p99.9 %s (raw hand-off between two threads, wait strategy %s);"
                + " p50 bus/floor %.2f", Durations.format(pct(raw, 50)), Durations.format(pct(raw, 99)), Durations.format(pct(raw, 99.9)),
                strategy, (double) pct(bus, 50) / Math.max(1, pct(raw, 50))));
    }

    private static long[] sorted(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    /** The floor waits like the bus: its wait strategy and back-off windows from the bus service's properties. */
    private HandOffFloor newFloor() {
        return new HandOffFloor(busWaitStrategy(), micros("wait.backoff.spin.us", 20), micros("wait.backoff.yield.us", 200));
    }

    /** The bus's configured wait strategy (its service properties carry its configuration); its default when none is set. */
    String busWaitStrategy() {
        Object v = busProperty("wait.strategy");
        return v == null ? "backoff" : v.toString().trim();
    }

    private long micros(String key, long dflt) {
        Object v = busProperty(key);
        try {
            return TimeUnit.MICROSECONDS.toNanos(v == null ? dflt : Long.parseLong(v.toString().trim()));
        } catch (NumberFormatException e) {
            return TimeUnit.MICROSECONDS.toNanos(dflt);
        }
    }

    private Object busProperty(String key) {
        if (bundleContext == null) {
            return null;
        }
        org.osgi.framework.ServiceReference<?> ref = bundleContext.getServiceReference(io.chronofabric.api.bus.EventBus.class.getName());
        return ref == null ? null : ref.getProperty(key);
    }

    /** One packet in flight: publish, wait until taken, next. Each subscriber's take is timed. */
    private long[] latency(String channel, RoutingMetadata routing) throws InterruptedException {
        long[] samples = new long[latencySamples];
        try (Receiver<Object> r = bus.subscribe(Subscription.toChannel(channel + ".latency"))) {
            for (int i = 0; i < latencySamples; i++) {
                bus.publish(PhasePacket.of("ping", channel + ".latency", routing));
                PhasePacket<Object> p = r.take(5, TimeUnit.SECONDS);
                if (p == null) {
                    throw new IllegalStateException("latency packet " + i + " did not arrive within 5 s");
                }
                samples[i] = time.nowNanos() - p.publishedAtNanos();
            }
        }
        Arrays.sort(samples);
        return samples;
    }

    private static long slowest(java.util.concurrent.atomic.AtomicLongArray counts) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < counts.length(); i++) {
            min = Math.min(min, counts.get(i));
        }
        return min;
    }

    private static void progress(PrintStream out, int pct) {
        int bars = pct / 5;
        out.print("\r[" + "#".repeat(bars) + " ".repeat(20 - bars) + "] " + pct + "%");
        out.flush();
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
