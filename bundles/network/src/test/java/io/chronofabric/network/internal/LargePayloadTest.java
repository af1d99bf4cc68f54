package io.chronofabric.network.internal;

import static io.chronofabric.network.internal.BusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.PhasePacket;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads larger than Aeron's maximum message (term length / 8: 8 KiB with the 64 KiB terms here)
 * across two real buses over loopback UDP: chunked, reassembled, acknowledged per message; limits
 * on the payload size and the reassembly memory, partial messages of a node that went away, and
 * frames of another version.
 */
class LargePayloadTest {

    private static final int TERM = 64 * 1024;

    @TempDir
    File dir;

    private BusNodes cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private void start(NetworkNode.Settings one, NetworkNode.Settings two) throws Exception {
        cluster.start(one, 30_000);
        cluster.start(two, 30_000);
        cluster.connect(1, 2);
    }

    @Test
    void shouldCarryA1MiBAndA5MiBPayloadAcrossTwoBusesWithASmallTermLength() throws Exception {
        cluster = new BusNodes(dir, 1, 2);
        start(cluster.settings(1, 200, 20_000, TERM), cluster.settings(2, 200, 20_000, TERM));
        BusNodes.Node a = cluster.nodes[1];
        BusNodes.Node b = cluster.nodes[2];
        assertThat(a.net.maxMessageLength()).isEqualTo(TERM / 8);
        byte[] one = random(1 << 20, 1);
        byte[] five = random(5 << 20, 5);
        long oneId = a.publish("big", one);
        long fiveId = a.publish("big", five);
        long after = a.publish("orders", "after the 5 MiB one", fiveId); // must come after it: declares so
        long loose = a.publish("orders", "no dependency");

        await(() -> b.hasDelivered(oneId) && b.hasDelivered(fiveId) && b.hasDelivered(after) && b.hasDelivered(loose), 120,
                "both large payloads and the small packets on node 2");
        assertThat((byte[]) b.deliveredWith(oneId).payload()).hasSize(1 << 20);
        assertThat(Arrays.equals((byte[]) b.deliveredWith(oneId).payload(), one)).as("1 MiB intact").isTrue();
        assertThat((byte[]) b.deliveredWith(fiveId).payload()).hasSize(5 << 20);
        assertThat(Arrays.equals((byte[]) b.deliveredWith(fiveId).payload(), five)).as("5 MiB intact").isTrue();
        List<Long> order = b.delivered.stream().map(PhasePacket::messageIdValue).toList();
        assertThat(order).as("the dependent after the 5 MiB payload it depends on").containsSubsequence(fiveId, after);
        assertThat(b.deliveredWith(fiveId).delivery().isGuaranteed()).isTrue();
        assertThat(a.net.counters()).containsEntry("sentChunked", 2L);
        assertThat(b.net.counters()).containsEntry("reassembled", 2L).containsEntry("partialsDropped", 0L)
                .containsEntry("reassemblyRefused", 0L);
        assertThat(a.log.size()).isZero();
        assertThat(b.log.size()).isZero();
        // node 2's way back is chunked too
        byte[] back = random(300_000, 3);
        long backId = b.publish("big", back);
        await(() -> a.hasDelivered(backId), 60, "300 kB back on node 1");
        assertThat(Arrays.equals((byte[]) a.deliveredWith(backId).payload(), back)).isTrue();
    }

    @Test
    void shouldRefuseAtSendAPayloadOverMaxPayloadBytesNamingTheSizeAndTheLimit() throws Exception {
        cluster = new BusNodes(dir, 1, 2);
        start(cluster.settings(1, 200, 20_000, TERM).withLimits(1 << 20, 1 << 20), cluster.settings(2, 200, 20_000, TERM));
        BusNodes.Node a = cluster.nodes[1];
        WirePacket p = new WirePacket(1, "big", new byte[(1 << 20) + 1], 77, 1, Long.MAX_VALUE, -1L, a.hlc.now(), true);
        assertThatThrownBy(() -> a.net.send(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Payload of 1048577 bytes").hasMessageContaining("on channel big")
                .hasMessageContaining("larger than max.payload.bytes (1048576 bytes)");
        // through the bus: the publish fails, and the bus records it with the network's reason
        long id = a.publish("big", new byte[2 << 20]);
        await(() -> a.log.size() > 0, 60, "the refused payload in node 1's dead-letter log");
        DeadLetterEntry e = a.log.latest(1).get(0);
        assertThat(e.messageIdValue()).isEqualTo(id);
        assertThat(e.reason()).contains("Payload of 2097152 bytes").contains("max.payload.bytes (1048576 bytes)");
        assertThat(a.net.counters()).containsEntry("sentChunked", 0L);
    }

    @Test
    void shouldDeadLetterAGuaranteedPayloadItsReceiverRefusesWithTheReceiversReason() throws Exception {
        cluster = new BusNodes(dir, 1, 2);
        start(cluster.settings(1, 200, 20_000, TERM), cluster.settings(2, 200, 20_000, TERM).withLimits(1 << 20, 1 << 20));
        BusNodes.Node a = cluster.nodes[1];
        BusNodes.Node b = cluster.nodes[2];
        long id = a.publish("big", new byte[2 << 20]); // node 1 takes 16 MiB, node 2 only 1 MiB
        await(() -> a.log.size() > 0, 60, "the refused payload in node 1's dead-letter log");
        DeadLetterEntry e = a.log.latest(1).get(0);
        assertThat(e.messageIdValue()).isEqualTo(id);
        assertThat(e.reason()).contains("node 2 refused it").contains("a message of 2097").contains("max.payload.bytes");
        assertThat(b.net.counters()).containsEntry("reassemblyRefused", 1L).containsEntry("reassembled", 0L);
        assertThat(a.net.counters()).containsEntry("refusedByPeer", 1L);
        assertThat(b.hasDelivered(id)).isFalse();
        long small = a.publish("big", new byte[500_000]);
        await(() -> b.hasDelivered(small), 60, "a payload under node 2's limit");
        assertThat(b.log.size()).isZero();
    }

    @Test
    void shouldSendTheRefusalAgainWhenItWasLostAndTheSenderSendsTheMessageAgain() throws Exception {
        cluster = new BusNodes(dir, 1, 2);
        start(cluster.settings(1, 200, 60_000, TERM), cluster.settings(2, 200, 20_000, TERM).withLimits(1 << 20, 1 << 20));
        BusNodes.Node a = cluster.nodes[1];
        BusNodes.Node b = cluster.nodes[2];
        b.net.lose(1, true); // node 2's REFUSE to node 1 is lost
        long id = a.publish("big", new byte[2 << 20]);
        await(() -> b.net.counters().get("reassemblyRefused") == 1, 60, "refused on node 2");
        long retransmits = a.net.counters().get("retransmits");
        await(() -> a.net.counters().get("retransmits") > retransmits, 60, "node 1 sends it again: it heard no refusal");
        assertThat(a.log.size()).isZero();
        b.net.lose(1, false);
        // long before node 1's unreachable.ms (60 s) ran out: dead-lettered with node 2's reason, not as unreachable
        await(() -> a.log.size() > 0, 40, "the refused payload in node 1's dead-letter log");
        DeadLetterEntry e = a.log.latest(1).get(0);
        assertThat(e.messageIdValue()).isEqualTo(id);
        assertThat(e.reason()).contains("node 2 refused it").contains("a message of 2097").contains("max.payload.bytes");
        assertThat(b.net.counters().get("refusesResent")).isPositive();
        assertThat(b.net.counters()).containsEntry("reassemblyRefused", 1L).containsEntry("reassembled", 0L);
        assertThat(a.net.counters()).containsEntry("refusedByPeer", 1L);
        assertThat(b.hasDelivered(id)).isFalse();
    }

    @Test
    void shouldRefuseAtPublishALargePayloadBeyondWhatTheSenderMayHaveInFlight() throws Exception {
        cluster = new BusNodes(dir, 1, 2);
        start(cluster.settings(1, 200, 20_000, TERM).withLimits(1 << 20, (1 << 20) + (1 << 19)),
                cluster.settings(2, 200, 20_000, TERM));
        BusNodes.Node a = cluster.nodes[1];
        BusNodes.Node b = cluster.nodes[2];
        a.net.cut(2, true); // nothing is acknowledged while cut
        long first = a.publish("big", new byte[1_000_000]);
        long second = a.publish("big", new byte[1_000_000]);
        await(() -> a.log.size() > 0, 60, "the second payload refused on node 1");
        DeadLetterEntry e = a.log.latest(1).get(0);
        assertThat(e.messageIdValue()).isEqualTo(second);
        assertThat(e.reason()).contains("would exceed max.reassembly.bytes (1572864 bytes)")
                .contains("1000104 bytes are sent and not yet acknowledged");
        a.net.cut(2, false);
        await(() -> b.hasDelivered(first), 60, "the first on node 2 after the heal");
        await(() -> a.net.counters().get("largeInFlightBytes") == 0, 60, "the first acknowledged");
        long third = a.publish("big", new byte[1_000_000]);
        await(() -> b.hasDelivered(third), 60, "room again: the third on node 2");
        assertThat(b.hasDelivered(second)).isFalse();
    }

    @Test
    void shouldSendALargeGuaranteedPayloadAgainWholeWhenItsChunksWereLostAndDeliverItOnce() throws Exception {
        cluster = new BusNodes(dir, 1, 2);
        start(cluster.settings(1, 200, 20_000, TERM), cluster.settings(2, 200, 20_000, TERM));
        BusNodes.Node a = cluster.nodes[1];
        BusNodes.Node b = cluster.nodes[2];
        byte[] payload = random(1 << 20, 11);
        a.net.lose(2, true); // every chunk to node 2 is lost
        long id = a.publish("big", payload);
        await(() -> a.net.counters().get("retransmits") >= 2, 60, "sent again twice, lost each time");
        assertThat(b.net.counters()).containsEntry("reassembled", 0L);
        a.net.lose(2, false);
        await(() -> b.hasDelivered(id), 60, "the payload on node 2 after the loss ended");
        await(() -> a.net.counters().get("largeInFlightBytes") == 0, 60, "acknowledged");
        assertThat(Arrays.equals((byte[]) b.deliveredWith(id).payload(), payload)).isTrue();
        long marker = a.publish("orders", "marker");
        await(() -> b.hasDelivered(marker), 60, "a marker after it");
        assertThat(b.delivered.stream().filter(p -> p.messageIdValue() == id).count()).as("delivered once").isEqualTo(1);
        assertThat(a.log.size()).isZero();
    }

    @Test
    void shouldCarryALargePayloadOverIpcThroughOneSharedDriver() throws Exception {
        File shared = new File(dir, "shared-driver");
        Map<Integer, String> ipcNodes = Map.of(1, "ipc", 2, "ipc");
        AeronTransport.Options ipc = new AeronTransport.Options(AeronTransport.Kind.IPC, AeronTransport.Driver.AUTO, 5_000, 1600);
        List<NetworkNode.Delivered> got = new CopyOnWriteArrayList<>();
        List<String> dead = new CopyOnWriteArrayList<>();
        try (NetworkNode one = NetworkNode.start(new NetworkNode.Settings(1, ipcNodes, shared, TERM, 100, 10_000, 4096, ipc),
                new CodecRegistry(), new TestHlc(1, 500_000_000L), d -> { }, (p, r) -> dead.add(r));
                NetworkNode two = NetworkNode.start(new NetworkNode.Settings(2, ipcNodes, shared, TERM, 100, 10_000, 4096, ipc),
                        new CodecRegistry(), new TestHlc(2, 500_000_000L), got::add, (p, r) -> dead.add(r))) {
            assertThat(one.maxMessageLength()).isEqualTo(TERM / 8);
            byte[] payload = random(2 << 20, 7);
            assertThat(one.send(new WirePacket(1, "big", payload, 5, 1, Long.MAX_VALUE, -1L,
                    new io.chronofabric.api.core.LogicalTime(System.currentTimeMillis() * 1_000_000L, 0, 1), true))).isTrue();
            await(() -> !got.isEmpty(), 60, "2 MiB over ipc");
            assertThat(Arrays.equals((byte[]) got.get(0).packet().payload(), payload)).isTrue();
            assertThat(two.counters()).containsEntry("reassembled", 1L);
            assertThat(dead).isEmpty();
        }
    }

    /** Chunk 0 of 2 of a message of {@code total} bytes that never completes, as node {@code origin} would send it. */
    private static byte[] strandedChunk(int origin, long seq, int total) {
        UnsafeBuffer c = new UnsafeBuffer(new byte[32 + 1000]);
        c.putByte(0, (byte) 5);
        c.putByte(1, (byte) 1);
        c.putInt(4, origin);
        c.putLong(8, seq);
        c.putInt(16, 0);
        c.putInt(20, 2);
        c.putInt(24, total);
        c.putInt(28, 0);
        return c.byteArray();
    }

    @Test
    void shouldRefuseAPayloadWhenReassemblyMemoryIsFullAndDropThePartialOfANodeThatWentAway() throws Exception {
        cluster = new BusNodes(dir, 1, 2);
        start(cluster.settings(1, 200, 3_000, TERM),
                cluster.settings(2, 200, 3_000, TERM).withLimits(1 << 20, (1 << 20) + (1 << 19)));
        BusNodes.Node a = cluster.nodes[1];
        BusNodes.Node b = cluster.nodes[2];
        // 1 MiB of node 2's 1.5 MiB held by a message whose other chunk never comes
        assertThat(a.net.offerRaw(2, strandedChunk(1, 1_000_000, 1 << 20))).isTrue();
        long id = a.publish("big", new byte[800_000]);
        await(() -> a.log.size() > 0, 60, "the payload that does not fit, dead-lettered on node 1");
        assertThat(a.log.latest(1).get(0).messageIdValue()).isEqualTo(id);
        assertThat(a.log.latest(1).get(0).reason()).contains("node 2 refused it: its reassembly memory is full")
                .contains("1048576 of max.reassembly.bytes (1572864) in use");
        // the stranded partial goes after unreachable.ms without a chunk, counted; then there is room again
        await(() -> b.net.counters().get("partialsDropped") == 1, 60, "the stranded partial dropped on node 2");
        long next = a.publish("big", new byte[800_000]);
        await(() -> b.hasDelivered(next), 60, "the next 800 kB on node 2");
        assertThat(b.net.counters()).containsEntry("reassemblyRefused", 1L).containsEntry("reassembled", 1L);
    }

    @Test
    void shouldRefuseAndCountFramesOfAnotherVersion() throws Exception {
        cluster = new BusNodes(dir, 1, 2);
        start(cluster.settings(1, 200, 20_000, TERM), cluster.settings(2, 200, 20_000, TERM));
        BusNodes.Node a = cluster.nodes[1];
        BusNodes.Node b = cluster.nodes[2];
        byte[] v2 = new byte[120];
        v2[0] = 3; // the second version's DATA
        new UnsafeBuffer(v2).putInt(4, 1);
        byte[] unknown = v2.clone();
        unknown[0] = 42;
        a.net.offerRaw(2, v2);
        a.net.offerRaw(2, unknown);
        await(() -> b.net.counters().get("refusedVersion") == 2, 60, "both refused on node 2");
        long ok = a.publish("orders", "current version");
        await(() -> b.hasDelivered(ok), 60, "a current frame after them");
        assertThat(b.delivered).hasSize(1);
        assertThat(b.net.counters()).containsEntry("refusedVersion", 2L);
    }
}
