package io.chronofabric.consensus.aeron.internal;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Commit latency (one proposal outstanding: p50/p99) and pipelined throughput of the Consensus
 * port on a 3-node Aeron Cluster on loopback, next to a bare Aeron Cluster echo service (the
 * same node setup, a service that only echoes, a raw AeronCluster client) measured in the same
 * run. Proposals come from a follower's node (one hop to the leader, as an echo client there).
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp ... \
 *   io.chronofabric.consensus.aeron.internal.ClusterBench [latencyCount=5000] [throughputCount=100000] [window=256]</pre>
 */
public final class ClusterBench {

    private static final int PAYLOAD = 32;

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        int latencyCount = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int throughputCount = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        System.out.printf(Locale.ROOT, "Cluster bench: 3 nodes on loopback UDP, %d cores, Java %s, payload %d B, "
                + "latency %d sequential, throughput %d with %d outstanding%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), PAYLOAD, latencyCount, throughputCount, window);
        for (int round = 0; round < 2; round++) {
            echo(latencyCount, throughputCount, window, round == 0);
            consensus(latencyCount, throughputCount, window, round == 0);
        }
    }

    private static ConsensusSettings settings(int id, Map<Integer, String> members, File dir) {
        return new ConsensusSettings(id, members, dir, "", 10_000, 1_000, 3_000, 10_000, 10_000, 1 << 20, 0, 0, 65_536);
    }

    private static void report(String what, Histogram h, double rate, boolean warmup) {
        if (warmup) {
            return;
        }
        System.out.printf(Locale.ROOT, "%-40s p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us  throughput %,9.0f msg/s%n", what,
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, rate);
    }

    // ---- the Consensus port -------------------------------------------------------------------

    private static void consensus(int latencyCount, int throughputCount, int window, boolean warmup) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-consensus").toFile();
        Map<Integer, String> members = members();
        AeronConsensus[] nodes = new AeronConsensus[3];
        try {
            for (int i = 0; i < 3; i++) {
                nodes[i] = AeronConsensus.start(settings(i, members, dir));
            }
            int leader = awaitLeader(nodes);
            AeronConsensus from = nodes[(leader + 1) % 3];
            byte[] value = new byte[PAYLOAD];
            for (int i = 0; i < 200; i++) {
                from.proposeFuture(value).get(30, TimeUnit.SECONDS);
            }
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 0; i < latencyCount; i++) {
                long t0 = System.nanoTime();
                from.proposeFuture(value).get(30, TimeUnit.SECONDS);
                h.recordValue(System.nanoTime() - t0);
            }
            Semaphore permits = new Semaphore(window);
            AtomicLong failed = new AtomicLong();
            long t0 = System.nanoTime();
            CompletableFuture<?> last = null;
            for (int i = 0; i < throughputCount; i++) {
                permits.acquire();
                last = from.proposeFuture(value).whenComplete((v, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                    permits.release();
                });
            }
            permits.acquire(window);
            long elapsed = System.nanoTime() - t0;
            if (last != null) {
                last.join();
            }
            report("Consensus.propose -> committed", h, throughputCount * 1e9 / elapsed, warmup);
            if (failed.get() > 0) {
                System.out.println("  failed proposals: " + failed.get());
            }
        } finally {
            for (AeronConsensus n : nodes) {
                CloseHelper.quietClose(n);
            }
        }
    }

    private static int awaitLeader(AeronConsensus[] nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i].view().isLeader()) {
                    return i;
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no leader within 60 s");
    }

    // ---- bare Aeron Cluster echo --------------------------------------------------------------

    /** Echoes every message back to its session: Aeron's EchoService sample, no state. */
    static final class EchoService implements ClusteredService {
        private IdleStrategy idle;
        volatile Cluster.Role role = Cluster.Role.FOLLOWER;

        @Override
        public void onStart(Cluster cluster, Image snapshotImage) {
            idle = cluster.idleStrategy();
        }

        @Override
        public void onSessionOpen(ClientSession session, long timestamp) {
        }

        @Override
        public void onSessionClose(ClientSession session, long timestamp, CloseReason closeReason) {
        }

        @Override
        public void onSessionMessage(ClientSession session, long timestamp, DirectBuffer buffer, int offset, int length,
                Header header) {
            idle.reset();
            while (session.offer(buffer, offset, length) < 0) {
                idle.idle();
            }
        }

        @Override
        public void onTimerEvent(long correlationId, long timestamp) {
        }

        @Override
        public void onTakeSnapshot(ExclusivePublication snapshotPublication) {
        }

        @Override
        public void onRoleChange(Cluster.Role newRole) {
            role = newRole;
        }

        @Override
        public void onTerminate(Cluster cluster) {
        }
    }

    private static void echo(int latencyCount, int throughputCount, int window, boolean warmup) throws Exception {
        File dir = Files.createTempDirectory("cf-bench-echo").toFile();
        Map<Integer, String> members = members();
        AeronNode[] nodes = new AeronNode[3];
        EchoService[] services = new EchoService[3];
        AeronCluster client = null;
        io.aeron.Aeron aeron = null;
        try {
            for (int i = 0; i < 3; i++) {
                services[i] = new EchoService();
                nodes[i] = AeronNode.launch(settings(i, members, dir), services[i],
                        new AeronNode.LoggingErrorHandler("echo-" + i));
            }
            int leader = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (leader < 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < 3; i++) {
                    if (services[i].role == Cluster.Role.LEADER) {
                        leader = i;
                    }
                }
                Thread.sleep(10);
            }
            ConsensusSettings s = settings((leader + 1) % 3, members, dir);
            aeron = io.aeron.Aeron.connect(new io.aeron.Aeron.Context().aeronDirectoryName(s.driverDir()));
            long[] received = {0};
            EgressListener listener = (sessionId, timestamp, buffer, offset, length, header) -> {
                received[0]++;
            };
            client = AeronCluster.connect(new AeronCluster.Context()
                    .aeron(aeron).ownsAeronClient(false)
                    .ingressChannel("aeron:udp?term-length=" + s.termLength())
                    .ingressEndpoints(s.ingressEndpoints())
                    .egressChannel("aeron:udp?endpoint=127.0.0.1:0|term-length=" + s.termLength())
                    .egressListener(listener)
                    .idleStrategy(AeronNode.IDLE.get()));
            IdleStrategy idle = AeronNode.IDLE.get();
            UnsafeBuffer msg = new UnsafeBuffer(new byte[PAYLOAD]);
            for (int i = 0; i < 200; i++) {
                roundTrip(client, msg, received, idle);
            }
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 0; i < latencyCount; i++) {
                long t0 = System.nanoTime();
                roundTrip(client, msg, received, idle);
                h.recordValue(System.nanoTime() - t0);
            }
            long start = received[0];
            long sent = 0;
            long t0 = System.nanoTime();
            while (received[0] - start < throughputCount) {
                boolean progress = false;
                if (sent < throughputCount && sent - (received[0] - start) < window) {
                    msg.putLong(0, sent);
                    if (client.offer(msg, 0, PAYLOAD) > 0) {
                        sent++;
                        progress = true;
                    }
                }
                if (client.pollEgress() > 0) {
                    progress = true;
                }
                if (progress) {
                    idle.reset();
                } else {
                    idle.idle();
                }
            }
            long elapsed = System.nanoTime() - t0;
            report("bare Aeron Cluster echo (round trip)", h, throughputCount * 1e9 / elapsed, warmup);
        } finally {
            CloseHelper.quietClose(client);
            CloseHelper.quietClose(aeron);
            for (AeronNode n : nodes) {
                CloseHelper.quietClose(n);
            }
        }
    }

    private static void roundTrip(AeronCluster client, UnsafeBuffer msg, long[] received, IdleStrategy idle) {
        long want = received[0] + 1;
        idle.reset();
        while (client.offer(msg, 0, PAYLOAD) < 0) {
            client.pollEgress();
            idle.idle();
        }
        idle.reset();
        while (received[0] < want) {
            if (client.pollEgress() == 0) {
                idle.idle();
            }
        }
    }

    private static Map<Integer, String> members() {
        Map<Integer, String> m = new TreeMap<>();
        int id = 0;
        while (m.size() < 3) {
            int base = 40_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(2_000) * 10;
            boolean free = true;
            for (int p = base; p < base + 5 && free; p++) {
                try (DatagramSocket sock = new DatagramSocket(p, InetAddress.getByName("127.0.0.1"))) {
                    sock.getLocalPort();
                } catch (Exception e) {
                    free = false;
                }
            }
            if (free && m.values().stream().noneMatch(e -> e.endsWith(":" + base))) {
                m.put(id++, "127.0.0.1:" + base);
            }
        }
        return m;
    }
}
