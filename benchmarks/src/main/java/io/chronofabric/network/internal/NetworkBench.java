package io.chronofabric.network.internal;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.HlcClock;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One-way latency between two network nodes in one JVM (two media drivers, loopback UDP), one
 * packet outstanding, next to a raw Aeron publication/subscription over the same kind of channel
 * between two drivers with the same threading and idling, in the same run; then the same across
 * two real buses (publish on one, the network link, delivery on the other). The send time travels
 * in the payload (a Long); both ends read the same System.nanoTime.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks.jar \
 *   io.chronofabric.network.internal.NetworkBench [count=20000]</pre>
 */
public final class NetworkBench {

    private NetworkBench() {
    }

    /** The HLC receive rule, enough for the bench. */
    static final class Hlc implements HlcClock {
        private final int node;
        private long l;
        private long c;

        Hlc(int node) {
            this.node = node;
        }

        @Override
        public synchronized LogicalTime now() {
            return now(System.currentTimeMillis() * 1_000_000L);
        }

        @Override
        public synchronized LogicalTime now(long pt) {
            long old = l;
            l = Math.max(old, pt);
            c = l == old ? c + 1 : 0;
            return new LogicalTime(l, c, node);
        }

        @Override
        public synchronized LogicalTime update(LogicalTime m) {
            long pt = System.currentTimeMillis() * 1_000_000L;
            if (m.physical() - pt > maxOffsetNanos()) {
                throw new TemporalViolationException("ahead");
            }
            long old = l;
            l = Math.max(Math.max(old, m.physical()), pt);
            c = l == old && l == m.physical() ? Math.max(c, m.logical()) + 1 : l == old ? c + 1 : l == m.physical() ? m.logical() + 1 : 0;
            return new LogicalTime(l, c, node);
        }

        @Override
        public synchronized LogicalTime current() {
            return new LogicalTime(l, c, node);
        }

        @Override
        public int nodeId() {
            return node;
        }

        @Override
        public long maxOffsetNanos() {
            return 500_000_000L;
        }

        @Override
        public long refusedUpdates() {
            return 0;
        }
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        System.out.printf(Locale.ROOT, "Network bench: 2 nodes on loopback UDP, %d cores, Java %s, %d one-way samples%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), count);
        for (int round = 0; round < 2; round++) {
            raw(count, round == 0);
            network(count, round == 0);
            busToBus(count, round == 0, true);
            busToBus(count, round == 0, false);
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

    private static void report(String what, Histogram h, boolean warmup) {
        if (!warmup) {
            System.out.printf(Locale.ROOT, "%-44s p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us%n", what,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3);
        }
    }

    private static void network(int count, boolean warmup) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-net").toFile();
        Map<Integer, String> nodes = Map.of(0, "127.0.0.1:" + freePort(), 1, "127.0.0.1:" + freePort());
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        AtomicLong got = new AtomicLong();
        CodecRegistry codecs = new CodecRegistry();
        Hlc a = new Hlc(0);
        NetworkNode n0 = null;
        NetworkNode n1 = null;
        try {
            n0 = NetworkNode.start(new NetworkNode.Settings(0, nodes, new File(dir, "n0"), 1 << 20, 200, 5_000, 65_536),
                    codecs, a, d -> { }, (p, r) -> { });
            n1 = NetworkNode.start(new NetworkNode.Settings(1, nodes, new File(dir, "n1"), 1 << 20, 200, 5_000, 65_536),
                    codecs, new Hlc(1), d -> {
                        long sentAt = (Long) d.packet().payload();
                        if (sentAt > 0) {
                            h.recordValue(Math.max(0, System.nanoTime() - sentAt));
                        }
                        got.incrementAndGet();
                    }, (p, r) -> { });
            while (got.get() == 0) {
                n0.send(new WirePacket(0, "bench", -1L, 0, 1, Long.MAX_VALUE, -1L, a.now(), false));
                Thread.sleep(10);
            }
            Thread.sleep(100);
            h.reset();
            IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            long lost = 0;
            for (int i = 0; i < count; i++) {
                long want = got.get() + 1;
                long t0 = System.nanoTime();
                n0.send(new WirePacket(0, "bench", t0, i, 1, Long.MAX_VALUE, -1L, a.now(), false));
                idle.reset();
                while (got.get() < want) {
                    if (System.nanoTime() - t0 > 1_000_000_000L) {
                        lost++; // best effort: dropped under back pressure; not a sample
                        break;
                    }
                    idle.idle();
                }
            }
            report("network node -> node (codec, HLC merge)", h, warmup);
            if (!warmup && lost > 0) {
                System.out.println("  best-effort packets not received within 1 s: " + lost);
            }
        } finally {
            CloseHelper.quietCloseAll(n0, n1);
        }
    }

    /**
     * Bus to bus: a packet published on node 0's bus (its same-thread network handler sends it),
     * published on node 1's bus under its origin id by the link, to a handler there (on the network
     * agent's thread with {@code sameThread}, else on a bus dispatcher).
     */
    private static void busToBus(int count, boolean warmup, boolean sameThread) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-bus").toFile();
        Map<Integer, String> nodes = Map.of(0, "127.0.0.1:" + freePort(), 1, "127.0.0.1:" + freePort());
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        AtomicLong got = new AtomicLong();
        CodecRegistry codecs = new CodecRegistry();
        io.chronofabric.time.internal.SystemTimeSource ts = new io.chronofabric.time.internal.SystemTimeSource();
        io.chronofabric.time.internal.HlcClockImpl c0 = new io.chronofabric.time.internal.HlcClockImpl(ts, 0, 500_000_000L);
        io.chronofabric.time.internal.HlcClockImpl c1 = new io.chronofabric.time.internal.HlcClockImpl(ts, 1, 500_000_000L);
        io.chronofabric.bus.internal.PhaseCoherenceBus b0 = io.chronofabric.bus.internal.StandaloneBus.start(ts, c0);
        io.chronofabric.bus.internal.PhaseCoherenceBus b1 = io.chronofabric.bus.internal.StandaloneBus.start(ts, c1);
        BusLink l0 = new BusLink(b0, c0, io.chronofabric.api.core.ComponentId.of(63));
        BusLink l1 = new BusLink(b1, c1, io.chronofabric.api.core.ComponentId.of(63));
        NetworkNode n0 = null;
        NetworkNode n1 = null;
        try {
            n0 = NetworkNode.start(new NetworkNode.Settings(0, nodes, new File(dir, "n0"), 1 << 20, 200, 5_000, 65_536),
                    codecs, c0, l0::deliver, l0::deadLetter);
            n1 = NetworkNode.start(new NetworkNode.Settings(1, nodes, new File(dir, "n1"), 1 << 20, 200, 5_000, 65_536),
                    codecs, c1, l1::deliver, l1::deadLetter);
            l0.attach(n0);
            l1.attach(n1);
            io.chronofabric.bus.internal.StandaloneBus.handle(b0, "bench",
                    (io.chronofabric.api.bus.PacketHandler<Object>) l0::forward, true);
            io.chronofabric.bus.internal.StandaloneBus.handle(b1, "bench", (io.chronofabric.api.bus.PacketHandler<Long>) p -> {
                long sentAt = p.payload();
                if (sentAt > 0) {
                    h.recordValue(Math.max(0, System.nanoTime() - sentAt));
                }
                got.incrementAndGet();
            }, sameThread);
            while (got.get() == 0) {
                b0.publish(io.chronofabric.api.bus.PhasePacket.builder(-1L).channel("bench").build());
                Thread.sleep(10);
            }
            Thread.sleep(100);
            h.reset();
            IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            long lost = 0;
            for (int i = 0; i < count; i++) {
                long want = got.get() + 1;
                long t0 = System.nanoTime();
                b0.publish(io.chronofabric.api.bus.PhasePacket.builder(t0).channel("bench").build());
                idle.reset();
                while (got.get() < want) {
                    if (System.nanoTime() - t0 > 1_000_000_000L) {
                        lost++;
                        break;
                    }
                    idle.idle();
                }
            }
            report("bus -> network -> bus (" + (sameThread ? "same-thread handler" : "dispatcher") + ")", h, warmup);
            if (!warmup && lost > 0) {
                System.out.println("  best-effort packets not received within 1 s: " + lost);
            }
        } finally {
            CloseHelper.quietCloseAll(n0, n1);
            b0.close();
            b1.close();
        }
    }

    private static void raw(int count, boolean warmup) throws Exception {
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
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            long[] got = {0};
            FragmentAssembler handler = new FragmentAssembler((b, o, l, hd) -> {
                h.recordValue(Math.max(0, System.nanoTime() - b.getLong(o)));
                got[0]++;
            });
            UnsafeBuffer msg = new UnsafeBuffer(new byte[64]);
            IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            // one thread sends and polls: the receiver side's wake-up is the driver's, as for the network node
            for (int i = 0; i < count; i++) {
                long want = got[0] + 1;
                msg.putLong(0, System.nanoTime());
                while (pub.offer(msg, 0, 64) < 0) {
                    idle.idle();
                }
                idle.reset();
                while (got[0] < want) {
                    if (sub.poll(handler, 10) == 0) {
                        idle.idle();
                    }
                }
            }
            report("raw Aeron publication -> subscription", h, warmup);
        } finally {
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
