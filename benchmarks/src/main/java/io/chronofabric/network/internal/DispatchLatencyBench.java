package io.chronofabric.network.internal;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.bus.internal.BenchBuses;
import io.chronofabric.bus.internal.PhaseCoherenceBus;
import io.chronofabric.bus.internal.StandaloneBus;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where the time goes between two buses on two network nodes when the receiving handler runs on
 * a bus dispatcher (issue #14, "cross-node one-way latency within 1.5x a raw Aeron ping"). The
 * set-up is NetworkBench's bus -> network -> bus (two NetworkNodes in one JVM, each its own
 * media driver, SHARED, back-off idling, loopback UDP, one best-effort packet outstanding, the
 * send time in the payload), with three time stamps per packet:
 * <ul>
 * <li>{@code t0} publish on node 0's bus (its same-thread network handler sends);</li>
 * <li>{@code ts} that handler returned: encoded and offered to node 1's publication;</li>
 * <li>{@code t1} node 1's network receive thread hands the packet to its BusLink (decoded, HLC merged);</li>
 * <li>{@code t2} BusLink's {@code publishForeign} returned on that thread;</li>
 * <li>{@code t3} the handler runs (on the dispatcher, or on the receive thread for same-thread).</li>
 * </ul>
 * and reports per variant p50/p99 of {@code ts-t0} (send), {@code t1-t0} (network, send included), {@code t2-t1} (local publish),
 * {@code t3-t1} (receive thread to handler: the hand-off), {@code t3-t0} (one way), next to a raw
 * Aeron ping of the same run. Variants (receiving bus's wait strategy, the receive thread's
 * behaviour after delivering) are run in rounds, in a rotating order, so that ratios are taken
 * within one round.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks.jar \
 *   io.chronofabric.network.internal.DispatchLatencyBench [count=5000] [rounds=3] [variant,...]</pre>
 * Variants: raw, raw-rxthread (the raw ping received on a thread of its own), same-thread, backoff, yield, park, busy-spin, backoff-rxyield (the receive thread
 * yields once after delivering), backoff-spinN (BACKOFF spinning N us: 0, 5, 50, 200, then yielding up to 200 us or 400 us for 200); a variant may end in
 * {@code @idle}, set as the system property {@value #NET_IDLE} while its nodes start (read by
 * the network node's agent idle strategy where it is configurable).
 */
public final class DispatchLatencyBench {

    private DispatchLatencyBench() {
    }

    /** A receiving side: how the handler is run, the bus's wait strategy, the receive thread's courtesy. */
    record Variant(String name, boolean sameThread, String strategy, long spinUs, long yieldUs, boolean rxYield) {
    }

    static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();
    /** The system property a variant's {@code @suffix} sets while its nodes start. */
    static final String NET_IDLE = "cf.bench.net.idle";

    static {
        for (Variant v : List.of(
                new Variant("same-thread", true, "backoff", 20, 200, false),
                new Variant("backoff", false, "backoff", 20, 200, false),
                new Variant("backoff-rxyield", false, "backoff", 20, 200, true),
                new Variant("backoff-spin0", false, "backoff", 0, 200, false),
                new Variant("backoff-spin5", false, "backoff", 5, 200, false),
                new Variant("backoff-spin0-rxyield", false, "backoff", 0, 200, true),
                new Variant("backoff-spin50", false, "backoff", 50, 200, false),
                new Variant("backoff-spin200", false, "backoff", 200, 400, false),
                new Variant("yield", false, "yield", 0, 0, false),
                new Variant("park", false, "park", 0, 0, false),
                new Variant("busy-spin", false, "busy-spin", 0, 0, false))) {
            VARIANTS.put(v.name(), v);
        }
    }

    /** Result of one variant in one round. */
    record Stages(Histogram send, Histogram network, Histogram publish, Histogram handoff, Histogram total, long lost) {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> names = new ArrayList<>();
        if (args.length > 2) {
            names.addAll(List.of(args[2].split(",")));
        } else {
            names.add("raw");
            names.add("raw-rxthread");
            names.addAll(VARIANTS.keySet());
        }
        System.out.printf(Locale.ROOT, "Dispatch latency bench: %d cores, Java %s, %d samples per variant, %d rounds, "
                + "net idle %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), count,
                rounds, System.getProperty(NET_IDLE, "(node default)"));
        // warm-up: every variant once, short
        for (String n : names) {
            run(n, Math.max(1_000, count / 5));
        }
        Map<String, List<Double>> p50s = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            System.out.printf(Locale.ROOT, "round %d%n", round + 1);
            Map<String, Double> raw = new LinkedHashMap<>();
            for (int k = 0; k < names.size(); k++) {
                String n = names.get((k + round) % names.size()); // rotate the order between rounds
                Object r = run(n, count);
                if (r instanceof Histogram h) {
                    if (n.equals("raw")) {
                        raw.put("raw", h.getValueAtPercentile(50) / 1e3);
                    }
                    System.out.printf(Locale.ROOT, "  %-16s one-way p50 %7.1f us  p99 %7.1f us%n", n,
                            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3);
                    p50s.computeIfAbsent(n, x -> new ArrayList<>()).add(h.getValueAtPercentile(50) / 1e3);
                } else if (r instanceof Stages s) {
                    System.out.printf(Locale.ROOT, "  %-16s one-way p50 %7.1f us  p99 %7.1f us | send p50 %5.1f | "
                                    + "network p50 %6.1f | publish p50 %5.1f | to handler p50 %6.1f p99 %7.1f%s%n", n,
                            s.total().getValueAtPercentile(50) / 1e3, s.total().getValueAtPercentile(99) / 1e3,
                            s.send().getValueAtPercentile(50) / 1e3, s.network().getValueAtPercentile(50) / 1e3, s.publish().getValueAtPercentile(50) / 1e3,
                            s.handoff().getValueAtPercentile(50) / 1e3, s.handoff().getValueAtPercentile(99) / 1e3,
                            s.lost() > 0 ? "  (" + s.lost() + " not received within 1 s)" : "");
                    p50s.computeIfAbsent(n, x -> new ArrayList<>()).add(s.total().getValueAtPercentile(50) / 1e3);
                }
            }
            p50s.computeIfAbsent("#raw-of-round", x -> new ArrayList<>()).add(raw.getOrDefault("raw", Double.NaN));
        }
        List<Double> raws = p50s.remove("#raw-of-round");
        System.out.println("p50 one-way / raw Aeron p50 of the same round:");
        for (Map.Entry<String, List<Double>> e : p50s.entrySet()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < e.getValue().size(); i++) {
                sb.append(String.format(Locale.ROOT, " %.2f", e.getValue().get(i) / raws.get(i)));
            }
            System.out.printf(Locale.ROOT, "  %-16s%s%n", e.getKey(), sb);
        }
    }

    private static Object run(String name, int count) throws Exception {
        if (name.equals("raw")) {
            return raw(count);
        }
        if (name.equals("raw-rxthread")) {
            return rawReceiveThread(count);
        }
        int at = name.indexOf('@');
        Variant v = VARIANTS.get(at < 0 ? name : name.substring(0, at));
        if (v == null) {
            throw new IllegalArgumentException("unknown variant " + name + ": one of raw, " + VARIANTS.keySet());
        }
        if (at < 0) {
            return busToBus(v, count);
        }
        // name@idle: the network nodes' agent idle strategy (read by a NetworkNode built for experiments)
        String before = System.getProperty(NET_IDLE);
        System.setProperty(NET_IDLE, name.substring(at + 1));
        try {
            return busToBus(v, count);
        } finally {
            if (before == null) {
                System.clearProperty(NET_IDLE);
            } else {
                System.setProperty(NET_IDLE, before);
            }
        }
    }

    private static int freePort() {
        while (true) {
            int port = 41_000 + ThreadLocalRandom.current().nextInt(10_000);
            try (DatagramSocket s = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
                return s.getLocalPort();
            } catch (Exception e) {
                // taken
            }
        }
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    }

    private static Stages busToBus(Variant v, int count) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-dispatch").toFile();
        Map<Integer, String> nodes = Map.of(0, "127.0.0.1:" + freePort(), 1, "127.0.0.1:" + freePort());
        Histogram send = histogram();
        Histogram network = histogram();
        Histogram publish = histogram();
        Histogram handoff = histogram();
        Histogram total = histogram();
        AtomicLong got = new AtomicLong();
        AtomicLongArray stamps = new AtomicLongArray(3); // t1, t2, ts of the packet in flight (one outstanding)
        CodecRegistry codecs = new CodecRegistry();
        SystemTimeSource ts = new SystemTimeSource();
        HlcClockImpl c0 = new HlcClockImpl(ts, 0, 500_000_000L);
        HlcClockImpl c1 = new HlcClockImpl(ts, 1, 500_000_000L);
        PhaseCoherenceBus b0 = StandaloneBus.start(ts, c0);
        PhaseCoherenceBus b1 = BenchBuses.start(ts, c1, v.strategy(), v.spinUs(), v.yieldUs());
        BusLink l0 = new BusLink(b0, c0, ComponentId.of(63));
        BusLink l1 = new BusLink(b1, c1, ComponentId.of(63));
        Consumer<NetworkNode.Delivered> rx = d -> {
            long t1 = System.nanoTime();
            stamps.set(1, 0);
            stamps.set(0, t1);
            l1.deliver(d);
            stamps.set(1, System.nanoTime());
            if (v.rxYield()) {
                Thread.yield();
            }
        };
        NetworkNode n0 = null;
        NetworkNode n1 = null;
        try {
            n0 = NetworkNode.start(new NetworkNode.Settings(0, nodes, new File(dir, "n0"), 1 << 20, 200, 5_000, 65_536),
                    codecs, c0, l0::deliver, l0::deadLetter);
            n1 = NetworkNode.start(new NetworkNode.Settings(1, nodes, new File(dir, "n1"), 1 << 20, 200, 5_000, 65_536),
                    codecs, c1, rx, l1::deadLetter);
            l0.attach(n0);
            l1.attach(n1);
            StandaloneBus.handle(b0, "bench", (PacketHandler<Object>) p -> {
                l0.forward(p);
                stamps.set(2, System.nanoTime()); // offered to node 1's publication on the publishing thread
            }, true);
            StandaloneBus.handle(b1, "bench", (PacketHandler<Long>) p -> {
                long t3 = System.nanoTime();
                long sentAt = p.payload();
                if (sentAt > 0) {
                    long t1 = stamps.get(0);
                    long t2 = stamps.get(1); // 0 when the handler ran before publishForeign returned
                    total.recordValue(Math.max(0, t3 - sentAt));
                    send.recordValue(Math.max(0, stamps.get(2) - sentAt));
                    network.recordValue(Math.max(0, t1 - sentAt));
                    handoff.recordValue(Math.max(0, t3 - t1));
                    if (t2 > 0) {
                        publish.recordValue(Math.max(0, t2 - t1));
                    }
                }
                got.incrementAndGet();
            }, v.sameThread());
            while (got.get() == 0) {
                b0.publish(PhasePacket.builder(-1L).channel("bench").build());
                Thread.sleep(10);
            }
            Thread.sleep(100);
            send.reset();
            network.reset();
            publish.reset();
            handoff.reset();
            total.reset();
            IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            long lost = 0;
            for (int i = 0; i < count; i++) {
                long want = got.get() + 1;
                long t0 = System.nanoTime();
                b0.publish(PhasePacket.builder(t0).channel("bench").build());
                idle.reset();
                while (got.get() < want) {
                    if (System.nanoTime() - t0 > 1_000_000_000L) {
                        lost++;
                        break;
                    }
                    idle.idle();
                }
            }
            // the handler's t2 for the last packet may land after its t3: publish counts what it saw
            return new Stages(send, network, publish, handoff, total, lost);
        } finally {
            CloseHelper.quietCloseAll(n0, n1);
            b0.close();
            b1.close();
        }
    }

    /** NetworkBench's raw ping: an exclusive publication on one driver to a subscription on another. */
    private static Histogram raw(int count) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-raw").toFile();
        String endpoint = "127.0.0.1:" + freePort();
        MediaDriver d0 = null;
        MediaDriver d1 = null;
        Aeron a0 = null;
        Aeron a1 = null;
        try {
            d0 = driver(new File(dir, "d0"));
            d1 = driver(new File(dir, "d1"));
            a0 = Aeron.connect(new Aeron.Context().aeronDirectoryName(d0.aeronDirectoryName()));
            a1 = Aeron.connect(new Aeron.Context().aeronDirectoryName(d1.aeronDirectoryName()));
            Subscription sub = a1.addSubscription("aeron:udp?endpoint=" + endpoint, 1);
            Publication pub = a0.addExclusivePublication("aeron:udp?endpoint=" + endpoint + "|term-length=1m", 1);
            while (!pub.isConnected()) {
                Thread.sleep(1);
            }
            Histogram h = histogram();
            long[] got = {0};
            FragmentAssembler handler = new FragmentAssembler((b, o, l, hd) -> {
                h.recordValue(Math.max(0, System.nanoTime() - b.getLong(o)));
                got[0]++;
            });
            UnsafeBuffer msg = new UnsafeBuffer(new byte[64]);
            IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            for (int i = 0; i < count; i++) {
                long want = got[0] + 1;
                msg.putLong(0, System.nanoTime());
                while (pub.offer(msg, 0, 64) < 0) {
                    idle.idle();
                }
                idle.reset();
                long t0 = System.nanoTime();
                while (got[0] < want && System.nanoTime() - t0 < 1_000_000_000L) {
                    if (sub.poll(handler, 10) == 0) {
                        idle.idle();
                    }
                }
            }
            return h;
        } finally {
            CloseHelper.quietCloseAll(a0, a1, d0, d1);
        }
    }

    /**
     * The raw ping shaped like the network path with a same-thread handler: the subscription is
     * polled by a thread of its own (the network agent's back-off idling), which counts the
     * arrival; the sender waits for the count as the bus benchmark does. The difference to
     * {@link #raw} is the extra thread and its wake-up, on the same drivers.
     */
    private static Histogram rawReceiveThread(int count) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-raw").toFile();
        String endpoint = "127.0.0.1:" + freePort();
        MediaDriver d0 = null;
        MediaDriver d1 = null;
        Aeron a0 = null;
        Aeron a1 = null;
        Thread rx = null;
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        try {
            d0 = driver(new File(dir, "d0"));
            d1 = driver(new File(dir, "d1"));
            a0 = Aeron.connect(new Aeron.Context().aeronDirectoryName(d0.aeronDirectoryName()));
            a1 = Aeron.connect(new Aeron.Context().aeronDirectoryName(d1.aeronDirectoryName()));
            Subscription sub = a1.addSubscription("aeron:udp?endpoint=" + endpoint, 1);
            Publication pub = a0.addExclusivePublication("aeron:udp?endpoint=" + endpoint + "|term-length=1m", 1);
            while (!pub.isConnected()) {
                Thread.sleep(1);
            }
            Histogram h = histogram();
            AtomicLong got = new AtomicLong();
            FragmentAssembler handler = new FragmentAssembler((b, o, l, hd) -> {
                h.recordValue(Math.max(0, System.nanoTime() - b.getLong(o)));
                got.incrementAndGet();
            });
            rx = new Thread(() -> {
                IdleStrategy rxIdle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
                while (running.get()) {
                    rxIdle.idle(sub.poll(handler, 64));
                }
            }, "raw-rx");
            rx.start();
            UnsafeBuffer msg = new UnsafeBuffer(new byte[64]);
            IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            for (int i = 0; i < count; i++) {
                long want = got.get() + 1;
                msg.putLong(0, System.nanoTime());
                while (pub.offer(msg, 0, 64) < 0) {
                    idle.idle();
                }
                idle.reset();
                long t0 = System.nanoTime();
                while (got.get() < want && System.nanoTime() - t0 < 1_000_000_000L) {
                    idle.idle();
                }
            }
            running.set(false);
            rx.join(5_000);
            return h;
        } finally {
            running.set(false);
            if (rx != null) {
                rx.join(5_000);
            }
            CloseHelper.quietCloseAll(a0, a1, d0, d1);
        }
    }

    private static MediaDriver driver(File dir) {
        return MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir.getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000))
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true).termBufferSparseFile(true)
                .publicationTermBufferLength(1 << 20));
    }
}
