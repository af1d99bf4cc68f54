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
 * A short bus benchmark inside the running runtime: one publisher thread, N receiver threads on a
 * private channel; prints throughput and publish-to-take latency percentiles.
 */
@Service
@Command(scope = "csf", name = "bench", description = "Runs a short bus benchmark here: one publisher, N subscribers on a private channel; prints throughput and latency percentiles.")
public class BenchCommand extends BusCommandSupport {

    @Option(name = "-n", aliases = "--count", description = "Packets to publish (default 2000000).")
    int count = 2_000_000;

    @Option(name = "-s", aliases = "--subscribers", description = "Subscribers, each drained by its own thread (default 1).")
    int subscribers = 1;

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
        int sample = Math.min(count, 1_000_000);
        List<Receiver<Object>> receivers = new ArrayList<>();
        List<Thread> takers = new ArrayList<>();
        long[][] latencies = new long[subscribers][sample];
        AtomicLong taken = new AtomicLong();
        try {
            for (int s = 0; s < subscribers; s++) {
                receivers.add(bus.subscribe(Subscription.toChannel(channel)));
            }
            for (int s = 0; s < subscribers; s++) {
                Receiver<Object> r = receivers.get(s);
                long[] lat = latencies[s];
                Thread t = new Thread(() -> {
                    int got = 0;
                    try {
                        while (got < count) {
                            PhasePacket<Object> p = r.take(1, TimeUnit.SECONDS);
                            if (p == null) {
                                if (r.isClosed()) {
                                    return;
                                }
                                continue;
                            }
                            if (got < lat.length) {
                                lat[got] = time.nowNanos() - p.publishedAtNanos();
                            }
                            got++;
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
            long total = (long) count * subscribers;
            int lastShown = -1;
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                while ((long) i * subscribers - taken.get() > window * subscribers) {
                    Thread.onSpinWait();
                }
                bus.publish(PhasePacket.of(Integer.valueOf(i), channel, routing));
                int pct = (int) (100L * i / count);
                if (pct != lastShown && pct % 5 == 0) {
                    lastShown = pct;
                    progress(out, pct);
                }
            }
            for (Thread t : takers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            long elapsed = System.nanoTime() - start;
            progress(out, 100);
            out.println();
            long delivered = taken.get();
            out.println(String.format(Locale.ROOT, "Published %,d packets to %d subscriber(s) on %s in %.3f s", count, subscribers, channel,
                    elapsed / 1e9));
            out.println(String.format(Locale.ROOT, "Throughput : %,.0f packets/s published, %,.0f deliveries/s", count * 1e9 / elapsed,
                    delivered * 1e9 / elapsed));
            long[] all = merge(latencies, Math.min(sample, count));
            out.println(String.format(Locale.ROOT, "Latency    : p50 %s, p99 %s, p99.9 %s, max %s (publish to take, %,d samples)",
                    Durations.format(pct(all, 50)), Durations.format(pct(all, 99)), Durations.format(pct(all, 99.9)),
                    Durations.format(all[all.length - 1]), all.length));
            if (delivered < total) {
                out.println("Warning    : only " + delivered + " of " + total + " deliveries arrived");
            }
        } finally {
            receivers.forEach(Receiver::close);
            takers.forEach(Thread::interrupt);
        }
    }

    private static void progress(PrintStream out, int pct) {
        int bars = pct / 5;
        out.print("\r[" + "#".repeat(bars) + " ".repeat(20 - bars) + "] " + pct + "%");
        out.flush();
    }

    private static long[] merge(long[][] parts, int each) {
        long[] all = new long[parts.length * each];
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, all, i * each, each);
        }
        Arrays.sort(all);
        return all;
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
