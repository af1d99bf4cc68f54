package io.chronofabric.network.internal;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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
 * One-way latency between two network nodes in one JVM, transport = ipc (each node its own Aeron
 * client, one shared media driver, {@code aeron:ipc}) next to transport = udp (each node its own
 * driver, loopback UDP), in pairs within one run (ipc, udp, ipc, udp...), one packet outstanding,
 * best effort, a Long payload carrying System.nanoTime at send; plus a raw Aeron IPC
 * publication/subscription on one driver as the floor. Ratios are taken within each pair.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.util.zip=ALL-UNNAMED \
 *   -cp benchmarks.jar io.chronofabric.network.internal.IpcBench [count=20000] [pairs=5]</pre>
 */
public final class IpcBench {

    private IpcBench() {
    }

    record Result(double p50, double p99, double p999, long lost) {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "IPC bench: 2 network nodes, ipc (shared driver) vs udp (loopback), %d cores, Java %s, "
                + "%d one-way samples per run, %d pairs%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), count, pairs);
        // warm-up of both paths and of the raw floor
        node(true, count / 4);
        node(false, count / 4);
        raw(count / 4);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Result ipc = node(true, count);
            Result udp = node(false, count);
            Result raw = raw(count);
            double r = ipc.p50() / udp.p50();
            ratios.add(r);
            System.out.printf(Locale.ROOT, "pair %d: ipc p50 %6.1f p99 %7.1f p99.9 %7.1f us | udp p50 %6.1f p99 %7.1f p99.9 %7.1f us"
                    + " | raw ipc p50 %5.1f p99 %6.1f us | ipc/udp p50 %.2f%s%n", i + 1, ipc.p50(), ipc.p99(), ipc.p999(), udp.p50(),
                    udp.p99(), udp.p999(), raw.p50(), raw.p99(), r,
                    ipc.lost() + udp.lost() > 0 ? " (lost: ipc " + ipc.lost() + ", udp " + udp.lost() + ")" : "");
        }
        ratios.sort(Double::compare);
        System.out.printf(Locale.ROOT, "ipc/udp p50 ratio: median %.2f, min %.2f, max %.2f over %d pairs%n",
                ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1), ratios.size());
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

    private static Result result(Histogram h, long lost) {
        return new Result(h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                lost);
    }

    /** Node 0 sends, node 1 receives; ipc: one shared driver (node 0 launches it, node 1 connects), udp: two drivers. */
    static Result node(boolean ipc, int count) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-ipc").toFile();
        Map<Integer, String> nodes = ipc ? Map.of(0, "ipc", 1, "ipc")
                : Map.of(0, "127.0.0.1:" + freePort(), 1, "127.0.0.1:" + freePort());
        AeronTransport.Options o0 = ipc ? new AeronTransport.Options(AeronTransport.Kind.IPC, AeronTransport.Driver.EMBEDDED, 10_000,
                1500) : AeronTransport.Options.UDP;
        AeronTransport.Options o1 = ipc ? new AeronTransport.Options(AeronTransport.Kind.IPC, AeronTransport.Driver.EXTERNAL, 10_000,
                1500) : AeronTransport.Options.UDP;
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        AtomicLong got = new AtomicLong();
        CodecRegistry codecs = new CodecRegistry();
        NetworkBench.Hlc a = new NetworkBench.Hlc(0);
        NetworkNode n0 = null;
        NetworkNode n1 = null;
        try {
            File shared = new File(dir, "shared");
            n0 = NetworkNode.start(new NetworkNode.Settings(0, nodes, ipc ? shared : new File(dir, "n0"), 1 << 20, 200, 5_000,
                    65_536, o0), codecs, a, d -> { }, (p, r) -> { });
            n1 = NetworkNode.start(new NetworkNode.Settings(1, nodes, ipc ? shared : new File(dir, "n1"), 1 << 20, 200, 5_000,
                    65_536, o1), codecs, new NetworkBench.Hlc(1), d -> {
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
                        lost++; // best effort: not a sample
                        break;
                    }
                    idle.idle();
                }
            }
            return result(h, lost);
        } finally {
            CloseHelper.quietCloseAll(n1, n0);
        }
    }

    /** Raw Aeron IPC on one driver (same threading and idling), one thread offering and polling. */
    static Result raw(int count) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-rawipc").toFile();
        MediaDriver d = null;
        Aeron a0 = null;
        Aeron a1 = null;
        try {
            d = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir.getAbsolutePath())
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000))
                    .dirDeleteOnStart(true).dirDeleteOnShutdown(true).termBufferSparseFile(true).ipcTermBufferLength(1 << 20));
            a0 = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.getAbsolutePath()));
            a1 = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.getAbsolutePath()));
            Subscription sub = a1.addSubscription("aeron:ipc", 7);
            Publication pub = a0.addPublication("aeron:ipc?term-length=1m", 7);
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
            return result(h, 0);
        } finally {
            CloseHelper.quietCloseAll(a0, a1, d);
        }
    }
}
