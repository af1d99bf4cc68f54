package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeCheckpoint;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two network nodes whose HLCs are the time bundle's {@link HlcClockImpl} on
 * {@link SystemTimeSource}s of their own (max offset 500 ms): nodes started seconds apart never
 * refuse each other's timestamps (the source follows UTC, not the time since its start); a node
 * whose clock jumps ahead beyond the max offset is refused and counted by the other.
 */
class SystemClockAcrossNodesTest {

    private static final long MAX_OFFSET_NANOS = 500_000_000L;

    @TempDir
    File dir;

    private final NetworkNode[] nodes = new NetworkNode[2];
    private final HlcClockImpl[] clocks = new HlcClockImpl[2];
    private final List<List<NetworkNode.Delivered>> delivered = List.of(new CopyOnWriteArrayList<>(),
            new CopyOnWriteArrayList<>());
    private final List<String> deadLetters = new CopyOnWriteArrayList<>();
    private final CodecRegistry codecs = new CodecRegistry();
    private Map<Integer, String> endpoints;

    /** A system time source whose clock can be made to jump ahead. */
    static final class JumpingTimeSource implements TimeSource {
        final SystemTimeSource system = new SystemTimeSource();
        volatile long jumpNanos;

        @Override
        public long nowNanos() {
            return system.nowNanos() + jumpNanos;
        }

        @Override
        public boolean hasHardwareTiming() {
            return system.hasHardwareTiming();
        }

        @Override
        public String kind() {
            return system.kind();
        }

        @Override
        public QuantumOffset quantumOffset() {
            return system.quantumOffset();
        }

        @Override
        public TimeCheckpoint createCheckpoint(String name) {
            return system.createCheckpoint(name);
        }

        @Override
        public boolean validateCoherence(TimeCheckpoint from, TimeCheckpoint to) {
            return system.validateCoherence(from, to);
        }
    }

    private final JumpingTimeSource[] sources = new JumpingTimeSource[2];

    @AfterEach
    void close() {
        for (NetworkNode n : nodes) {
            CloseHelper.quietClose(n);
        }
    }

    private static Map<Integer, String> endpoints(int n) {
        Map<Integer, String> m = new TreeMap<>();
        while (m.size() < n) {
            int port = 21_000 + ThreadLocalRandom.current().nextInt(20_000);
            try (DatagramSocket s = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
                s.getLocalPort();
            } catch (Exception e) {
                continue;
            }
            if (!m.containsValue("127.0.0.1:" + port)) {
                m.put(m.size(), "127.0.0.1:" + port);
            }
        }
        return m;
    }

    /** Starts node {@code id} with a fresh system time source and HLC, as a process start would. */
    private void start(int id) {
        sources[id] = new JumpingTimeSource();
        clocks[id] = new HlcClockImpl(sources[id], id, MAX_OFFSET_NANOS);
        nodes[id] = NetworkNode.start(new NetworkNode.Settings(id, endpoints, new File(dir, "node-" + id), 64 * 1024, 100,
                10_000, 4096), codecs, clocks[id], delivered.get(id)::add,
                (p, reason) -> deadLetters.add("node " + id + ": " + p.channel() + " " + p.payload() + ": " + reason));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private WirePacket packet(int from, String channel, Object payload, long id) {
        return new WirePacket(from, channel, payload, id, 1, 0L, -1L, clocks[from].now(), true);
    }

    private long count(int node, String channel) {
        return delivered.get(node).stream().filter(d -> d.packet().channel().equals(channel)).count();
    }

    /** Connects both ways with best-effort packets (the first frames may beat the connections). */
    private void connect() throws InterruptedException {
        await(() -> {
            nodes[0].send(new WirePacket(0, "hello", "h", 1, 1, 0L, -1L, clocks[0].now(), false));
            nodes[1].send(new WirePacket(1, "hello", "h", 1, 1, 0L, -1L, clocks[1].now(), false));
            for (HlcClockImpl c : clocks) {
                if (c.refusedUpdates() > 0) {
                    throw new AssertionError("node " + c.nodeId() + " refused a timestamp: " + c.lastRefusal());
                }
            }
            return count(0, "hello") > 0 && count(1, "hello") > 0;
        }, "both nodes connected");
    }

    @Test
    void shouldNeverRefuseTimestampsOfNodesStartedSecondsApartOnTheSystemClock() throws Exception {
        endpoints = endpoints(2);
        start(0);
        long started0 = System.nanoTime();
        // node 1 starts 2 s later: 4x the max offset, so a clock counted from its own start would be refused
        await(() -> System.nanoTime() - started0 >= 2_000_000_000L, "2 s after node 0 started");
        start(1);
        connect();
        for (int i = 0; i < 50; i++) {
            nodes[0].send(packet(0, "ab", "from 0 #" + i, 100 + i));
            nodes[1].send(packet(1, "ba", "from 1 #" + i, 100 + i));
        }
        await(() -> count(1, "ab") == 50 && count(0, "ba") == 50, "50 packets each way");
        assertThat(clocks[0].refusedUpdates()).isZero();
        assertThat(clocks[1].refusedUpdates()).isZero();
        assertThat(nodes[0].counters().get("refusedHlc")).isZero();
        assertThat(nodes[1].counters().get("refusedHlc")).isZero();
        assertThat(deadLetters).isEmpty();
        // both follow UTC: their readings agree far better than the 2 s between their starts
        assertThat(Math.abs(sources[0].nowNanos() - sources[1].nowNanos())).isLessThan(MAX_OFFSET_NANOS / 5);
        // causality across nodes: every receive event is after its send event
        for (int id = 0; id < 2; id++) {
            for (NetworkNode.Delivered d : delivered.get(id)) {
                assertThat(d.receivedAt().compareClock(d.packet().timestamp())).isPositive();
            }
        }
    }

    @Test
    void shouldRefuseAndCountANodeWhoseClockJumpedAheadBeyondTheMaxOffset() throws Exception {
        endpoints = endpoints(2);
        start(0);
        start(1);
        connect();
        assertThat(clocks[1].refusedUpdates()).isZero();

        // node 0's clock jumps a minute ahead: node 1 refuses its timestamps, counts them, dead-letters the packet
        sources[0].jumpNanos = 60_000_000_000L;
        LogicalTime ahead = clocks[0].now();
        nodes[0].send(new WirePacket(0, "future", "from the future", 500, 1, 0L, -1L, ahead, true));
        await(() -> !deadLetters.isEmpty(), "the refusal");
        assertThat(clocks[1].refusedUpdates()).isEqualTo(1);
        assertThat(nodes[1].counters().get("refusedHlc")).isEqualTo(1);
        assertThat(count(1, "future")).isZero();
        assertThat(deadLetters.get(0)).contains("HLC refused the timestamp of node 0");
        assertThat(clocks[1].lastRefusal()).contains("from node 0")
                .contains("the maximum tolerated offset is " + MAX_OFFSET_NANOS + " ns");
        // node 1's HLC was not dragged a minute ahead
        assertThat(clocks[1].current().physical()).isLessThan(sources[1].nowNanos() + MAX_OFFSET_NANOS);

        // the other way is fine: a timestamp behind the receiver's clock is merged, not refused
        nodes[1].send(packet(1, "past", "from the present", 501));
        await(() -> count(0, "past") == 1, "node 1's packet on node 0");
        assertThat(clocks[0].refusedUpdates()).isZero();
        assertThat(nodes[0].counters().get("refusedHlc")).isZero();
    }
}
