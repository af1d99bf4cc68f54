package io.chronofabric.network.internal;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.chronofabric.api.core.LogicalTime;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Large payloads between two network nodes in one JVM (two media drivers, loopback UDP): guaranteed
 * {@code byte[]} payloads larger than Aeron's maximum message, chunked and reassembled, a few in
 * flight, next to a raw Aeron stream of the same bytes in maximum-length messages over the same
 * kind of channel between two drivers with the same threading and idling, in the same run. Prints
 * MB/s of payload for each term length and payload size, and the ratio network / raw.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks.jar \
 *   io.chronofabric.network.internal.LargePayloadBench [megabytes per run=64]</pre>
 */
public final class LargePayloadBench {

    private LargePayloadBench() {
    }

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        System.out.printf(Locale.ROOT, "Large payload bench: 2 nodes on loopback UDP, %d cores, Java %s, %d MiB per run%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), mb);
        for (int round = 0; round < 2; round++) {
            boolean warmup = round == 0;
            for (int term : new int[] {64 * 1024, 1 << 20}) {
                for (int size : new int[] {1 << 20, 5 << 20}) {
                    long total = (long) mb << 20;
                    double raw = raw(term, total);
                    double net = network(term, size, (int) Math.max(1, total / size));
                    if (!warmup) {
                        System.out.printf(Locale.ROOT, "term %7d, payload %7d: network %7.1f MB/s, raw Aeron (%d B messages) %7.1f MB/s,"
                                + " ratio %.2f%n", term, size, net, Math.min(term / 8, 16 << 20), raw, net / raw);
                    }
                }
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

    /** Payload MB/s: {@code count} guaranteed payloads of {@code size} bytes, at most 4 in flight. */
    private static double network(int term, int size, int count) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-large").toFile();
        Map<Integer, String> nodes = Map.of(0, "127.0.0.1:" + freePort(), 1, "127.0.0.1:" + freePort());
        AtomicLong got = new AtomicLong();
        CodecRegistry codecs = new CodecRegistry();
        NetworkBench.Hlc a = new NetworkBench.Hlc(0);
        NetworkNode n0 = null;
        NetworkNode n1 = null;
        try {
            n0 = NetworkNode.start(new NetworkNode.Settings(0, nodes, new File(dir, "n0"), term, 200, 30_000, 65_536),
                    codecs, a, d -> { }, (p, r) -> System.out.println("dead letter: " + r));
            n1 = NetworkNode.start(new NetworkNode.Settings(1, nodes, new File(dir, "n1"), term, 200, 30_000, 65_536),
                    codecs, new NetworkBench.Hlc(1), d -> got.incrementAndGet(), (p, r) -> System.out.println("dead letter: " + r));
            while (got.get() == 0) {
                n0.send(new WirePacket(0, "bench", new byte[16], 0, 1, Long.MAX_VALUE, -1L, a.now(), false));
                Thread.sleep(10);
            }
            Thread.sleep(100);
            long base = got.get();
            byte[] payload = new byte[size];
            ThreadLocalRandom.current().nextBytes(payload);
            BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            long t0 = System.nanoTime();
            for (int i = 1; i <= count; i++) {
                while (i - (got.get() - base) > 4) {
                    idle.idle();
                }
                idle.reset();
                n0.send(new WirePacket(0, "bench", payload, i, 1, Long.MAX_VALUE, -1L, new LogicalTime(a.now().physical(), 0, 0),
                        true));
            }
            while (got.get() - base < count) {
                idle.idle();
            }
            long ns = System.nanoTime() - t0;
            return (double) size * count / (ns / 1e9) / 1e6;
        } finally {
            CloseHelper.quietCloseAll(n0, n1);
        }
    }

    private static MediaDriver driver(File dir, int term) {
        return MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir.getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000))
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true).termBufferSparseFile(true).publicationTermBufferLength(term));
    }

    /** Payload MB/s of a raw Aeron stream of {@code total} bytes in maximum-length messages. */
    private static double raw(int term, long total) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-raw").toFile();
        String endpoint = "127.0.0.1:" + freePort();
        MediaDriver d0 = null;
        MediaDriver d1 = null;
        Aeron c0 = null;
        Aeron c1 = null;
        try {
            d0 = driver(new File(dir, "d0"), term);
            d1 = driver(new File(dir, "d1"), term);
            c0 = Aeron.connect(new Aeron.Context().aeronDirectoryName(new File(dir, "d0").getAbsolutePath()));
            c1 = Aeron.connect(new Aeron.Context().aeronDirectoryName(new File(dir, "d1").getAbsolutePath()));
            Subscription sub = c1.addSubscription("aeron:udp?endpoint=" + endpoint, 77);
            Publication pub = c0.addExclusivePublication("aeron:udp?endpoint=" + endpoint + "|term-length=" + term, 77);
            while (!pub.isConnected()) {
                Thread.sleep(1);
            }
            int len = pub.maxMessageLength();
            UnsafeBuffer msg = new UnsafeBuffer(new byte[len]);
            AtomicLong bytes = new AtomicLong();
            FragmentAssembler fa = new FragmentAssembler((b, o, l, h) -> bytes.addAndGet(l));
            Thread receiver = new Thread(() -> {
                BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
                while (bytes.get() < total && !Thread.currentThread().isInterrupted()) {
                    idle.idle(sub.poll(fa, 64));
                }
            });
            receiver.start();
            BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            long t0 = System.nanoTime();
            long sent = 0;
            while (sent < total) {
                int n = (int) Math.min(len, total - sent);
                if (pub.offer(msg, 0, n) > 0) {
                    sent += n;
                    idle.reset();
                } else {
                    idle.idle();
                }
            }
            receiver.join(120_000);
            long ns = System.nanoTime() - t0;
            return (double) total / (ns / 1e9) / 1e6;
        } finally {
            CloseHelper.quietCloseAll(c0, c1, d0, d1);
        }
    }
}
