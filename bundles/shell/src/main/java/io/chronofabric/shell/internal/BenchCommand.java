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
 * with one packet in flight (publish to take), so queueing does not inflate it.
 */
@Service
@Command(scope = "csf", name = "bench", description = "Runs a short bus benchmark here: one publisher, N subscribers on a private channel; prints throughput and latency percentiles.")
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

    @Reference(optional = true)
    TimeSource time;

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
            if (latencySamples > 0) {
                long[] all = latency(channel, routing);
                out.println(String.format(Locale.ROOT, "Latency    : p50 %s, p99 %s, p99.9 %s, max %s (one packet in flight, publish to take, %,d samples)",
                        Durations.format(pct(all, 50)), Durations.format(pct(all, 99)), Durations.format(pct(all, 99.9)),
                        Durations.format(all[all.length - 1]), all.length));
            }
        } finally {
            receivers.forEach(Receiver::close);
            takers.forEach(Thread::interrupt);
        }
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
