package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node closed with guaranteed packets not yet acknowledged: its replacement sends them again
 * (delivered once, also to a receiver that had them already), or they go to the dead-letter log
 * with the reason; never silently gone.
 */
class NodeRestartTest {

    @TempDir
    File dir;

    private final NetworkNode[] nodes = new NetworkNode[3];
    private final TestHlc[] clocks = new TestHlc[3];
    private final List<List<NetworkNode.Delivered>> delivered = List.of(new CopyOnWriteArrayList<>(),
            new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
    private final List<String> deadLetters = new CopyOnWriteArrayList<>();
    private final CodecRegistry codecs = new CodecRegistry();
    private Map<Integer, String> endpoints;
    private DriverWatchdog watchdog;

    @AfterEach
    void close() {
        CloseHelper.quietClose(watchdog);
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

    private NetworkNode start(int id, Map<Integer, String> members, NetworkNode.Unfinished previous) {
        clocks[id] = clocks[id] != null ? clocks[id] : new TestHlc(id, 500_000_000L);
        nodes[id] = NetworkNode.start(new NetworkNode.Settings(id, members, new File(dir, "node-" + id), 64 * 1024, 100, 20_000,
                4096), codecs, clocks[id], delivered.get(id)::add,
                (p, reason) -> deadLetters.add("node " + id + ": " + p.channel() + " " + p.payload() + ": " + reason), previous);
        return nodes[id];
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
        return new WirePacket(from, channel, payload, id, 2, 123_456_789L, -1L, clocks[from].now(), true);
    }

    private List<Long> ids(int node, String channel) {
        return delivered.get(node).stream().filter(d -> d.packet().channel().equals(channel)).map(d -> d.packet().messageId())
                .toList();
    }

    @Test
    void shouldSendAPacketAgainFromTheReplacementNodeOnceItsAddresseeComesUp() throws Exception {
        endpoints = endpoints(2);
        start(0, endpoints, null); // node 1 is not up yet
        NetworkNode old = nodes[0];
        old.send(packet(0, "audit", "must arrive", 5));
        await(() -> old.counters().get("retransmits") >= 2, "retransmissions to the absent node 1");
        NetworkNode.Unfinished left = old.handOver(); // e.g. a restart after its media driver went away
        assertThat(left.size()).isEqualTo(1);
        assertThat(left.nodeId()).isZero();
        assertThatThrownBy(() -> old.send(packet(0, "audit", "too late", 6))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Network node 0 is closed");
        assertThat(old.handOver().size()).as("a second close leaves nothing more").isZero();
        start(0, endpoints, left);
        start(1, endpoints, null);
        await(() -> ids(1, "audit").contains(5L), "the handed-over packet on node 1");
        nodes[0].send(packet(0, "audit", "after the restart", 7));
        await(() -> nodes[0].counters().get("acknowledged") >= 2, "both acknowledged to the new node 0");
        assertThat(ids(1, "audit")).containsExactlyInAnyOrder(5L, 7L);
        assertThat(delivered.get(1).stream().filter(d -> d.packet().messageId() == 5).findFirst().orElseThrow().packet().payload())
                .isEqualTo("must arrive");
        assertThat(nodes[0].counters().get("handedOver")).isEqualTo(1);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void shouldNotDeliverTwiceAPacketTheReceiverHadBeforeTheSenderRestarted() throws Exception {
        endpoints = endpoints(2);
        start(0, endpoints, null);
        start(1, endpoints, null);
        // guaranteed warm-up: node 1 remembers the sequences of node 0's first incarnation
        await(() -> {
            nodes[0].send(packet(0, "warmup", "w", 1));
            return !delivered.get(1).isEmpty();
        }, "connected");
        await(() -> nodes[0].counters().get("acknowledged") >= nodes[0].counters().get("sent"), "warm-up acknowledged");
        nodes[1].lose(0, true); // node 1's acknowledgements are lost
        NetworkNode old = nodes[0];
        old.send(packet(0, "once", "arrived before the restart", 8));
        await(() -> ids(1, "once").contains(8L), "the packet on node 1");
        long retransmits = old.counters().get("retransmits");
        await(() -> old.counters().get("retransmits") > retransmits, "a retransmission: not acknowledged");
        NetworkNode.Unfinished left = old.handOver();
        assertThat(left.size()).isEqualTo(1);
        nodes[1].lose(0, false);
        start(0, endpoints, left);
        await(() -> nodes[0].counters().get("acknowledged") >= 1, "node 1 acknowledged the packet sent again");
        // a new packet of the replacement is not taken for one node 1 had (the sequence continues)
        nodes[0].send(packet(0, "once", "new after the restart", 9));
        await(() -> ids(1, "once").contains(9L), "the new packet on node 1");
        await(() -> nodes[0].counters().get("acknowledged") >= 2, "both acknowledged");
        assertThat(ids(1, "once")).containsExactly(8L, 9L);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void shouldDeliverThePacketsOfANewRunOfANodeToAReceiverThatStayedUp() throws Exception {
        endpoints = endpoints(2);
        start(0, endpoints, null);
        start(1, endpoints, null);
        for (int i = 0; i < 20; i++) {
            nodes[0].send(packet(0, "first run", "p" + i, 100 + i));
        }
        await(() -> ids(1, "first run").size() == 20, "the first run's packets");
        await(() -> nodes[0].counters().get("acknowledged") >= 20, "acknowledged");
        nodes[0].close(); // nothing left unacknowledged: nothing dead-lettered
        start(0, endpoints, null); // as a process that starts again, with no replacement state
        for (int i = 0; i < 20; i++) {
            nodes[0].send(packet(0, "second run", "q" + i, 200 + i));
        }
        await(() -> ids(1, "second run").size() == 20, "the second run's packets, none taken for a duplicate");
        assertThat(ids(1, "first run")).doesNotHaveDuplicates().hasSize(20);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void shouldDeadLetterWhatANodeLeftUnacknowledgedWhenItClosesWithoutReplacement() throws Exception {
        endpoints = endpoints(3);
        start(0, endpoints, null); // nodes 1 and 2 are not up
        nodes[0].send(packet(0, "audit", "must not vanish", 5));
        nodes[0].send(new WirePacket(0, "audit", "only to 2", 6, 2, 123_456_789L, -1L, clocks[0].now(), true), 2);
        await(() -> nodes[0].counters().get("retransmits") >= 3, "retransmissions");
        nodes[0].close("component deactivated");
        assertThat(deadLetters).containsExactlyInAnyOrder(
                "node 0: audit must not vanish: network node 0 closed (component deactivated) before node 1 acknowledged it",
                "node 0: audit must not vanish: network node 0 closed (component deactivated) before node 2 acknowledged it",
                "node 0: audit only to 2: network node 0 closed (component deactivated) before node 2 acknowledged it");
        assertThat(nodes[0].counters().get("deadLettered")).isEqualTo(3);
    }

    @Test
    void shouldDeadLetterForAnAddresseeThatIsNotANodeOfTheReplacement() throws Exception {
        endpoints = endpoints(3);
        start(0, endpoints, null);
        nodes[0].send(packet(0, "audit", "to both", 5));
        await(() -> nodes[0].counters().get("retransmits") >= 2, "retransmissions");
        NetworkNode.Unfinished left = nodes[0].handOver();
        assertThat(left.size()).isEqualTo(2);
        Map<Integer, String> without2 = new TreeMap<>(endpoints);
        without2.remove(2); // reconfigured: node 2 left the cluster
        start(0, without2, left);
        assertThat(deadLetters).singleElement().asString().isEqualTo("node 0: audit to both: network node 0 closed (replaced) "
                + "before node 2 acknowledged it; node 2 is not one of the replacement's nodes [0, 1]");
        start(1, endpoints, null);
        await(() -> ids(1, "audit").contains(5L), "the packet on node 1");
        await(() -> nodes[0].counters().get("acknowledged") >= 1, "acknowledged");
        assertThat(ids(1, "audit")).containsExactly(5L);
        assertThat(deadLetters).hasSize(1);
    }

    @Test
    void shouldSendAgainAfterARestartForTheLossOfTheSharedDriver() throws Exception {
        Map<Integer, String> ipc = Map.of(0, "ipc", 1, "ipc", 2, "ipc");
        AeronTransport.Options options = new AeronTransport.Options(AeronTransport.Kind.IPC, AeronTransport.Driver.AUTO, 500, 1700);
        AtomicReference<NetworkNode> b = new AtomicReference<>();
        for (int id = 0; id < 3; id++) {
            clocks[id] = new TestHlc(id, 500_000_000L);
        }
        java.util.function.BiFunction<Integer, NetworkNode.Unfinished, NetworkNode> ipcNode = (id, previous) ->
                nodes[id] = NetworkNode.start(new NetworkNode.Settings(id, ipc, new File(dir, "shared"), 64 * 1024, 50, 20_000,
                        4096, options), codecs, clocks[id], delivered.get(id)::add,
                        (p, reason) -> deadLetters.add("node " + id + ": " + p.payload() + ": " + reason), previous);
        ipcNode.apply(0, null); // runs the shared driver
        b.set(ipcNode.apply(1, null));
        assertThat(b.get().transport().ownsDriver()).isFalse();
        AtomicInteger restarts = new AtomicInteger();
        watchdog = new DriverWatchdog("node 1", 100, () -> b.get().transport().failure() != null, () -> {
            NetworkNode.Unfinished left = b.get().handOver(); // as NetworkComponent.restartAfterDriverLoss
            b.set(ipcNode.apply(1, left));
            restarts.incrementAndGet();
        });
        b.get().send(packet(1, "audit", "to 0 and 2", 11)); // node 2 is not up yet
        await(() -> ids(0, "audit").contains(11L), "on node 0");
        await(() -> b.get().counters().get("acknowledged") >= 1 && b.get().counters().get("retransmits") >= 2,
                "node 0 acknowledged, node 2 not");
        nodes[0].close(); // the driver goes with it
        nodes[0] = null;
        await(() -> restarts.get() == 1, "node 1 restarted by its watchdog");
        assertThat(b.get().transport().ownsDriver()).as("node 1 launched a new driver (auto)").isTrue();
        assertThat(b.get().counters().get("handedOver")).isEqualTo(1);
        ipcNode.apply(2, null); // a client of node 1's driver
        await(() -> ids(2, "audit").contains(11L), "the packet on node 2 after the restart");
        await(() -> b.get().counters().get("acknowledged") >= 1, "acknowledged by node 2");
        assertThat(ids(2, "audit")).containsExactly(11L);
        assertThat(ids(0, "audit")).containsExactly(11L);
        assertThat(deadLetters).isEmpty();
        assertThat(restarts).hasValue(1);
    }
}
