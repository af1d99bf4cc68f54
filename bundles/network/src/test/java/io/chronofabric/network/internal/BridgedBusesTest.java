package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.patterns.RequestFailedException;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.Responder;
import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.TraceContext;
import io.chronofabric.bus.internal.PhaseCoherenceBus;
import io.chronofabric.bus.internal.StandaloneBus;
import io.chronofabric.patterns.internal.StandalonePatterns;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes in one JVM, each a real bus (StandaloneBus) with a durable dead-letter log, an HLC on
 * the system clock (node ids 1 and 2, also their network node ids) and a network node on loopback
 * UDP, linked as the network component links them (BusLink): the bus across nodes end to end.
 */
class BridgedBusesTest {

    private static final String[] BRIDGED = {"orders", "audit", "traced", "svc", RequestReply.REPLY_CHANNEL};

    @TempDir
    File dir;

    private Map<Integer, String> endpoints;
    private final Node[] nodes = new Node[4];
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    /** One node: bus, log, HLC, network node, and what arrived on its channels. */
    final class Node {
        final int id;
        final HlcClockImpl hlc;
        final PhaseCoherenceBus bus;
        final DeadLetterLog log;
        final NetworkNode net;
        final List<PhasePacket<Object>> delivered = new CopyOnWriteArrayList<>();
        final List<Long> arrived = new CopyOnWriteArrayList<>();
        final List<Span> spans = new CopyOnWriteArrayList<>();

        Node(int id, long retransmitMs, long unreachableMs) throws Exception {
            this.id = id;
            SystemTimeSource ts = new SystemTimeSource();
            hlc = new HlcClockImpl(ts, id, 500_000_000L);
            bus = StandaloneBus.start(ts, hlc);
            log = StandaloneBus.attachLog(bus, new File(dir, "dl-" + id).toPath());
            BusLink link = new BusLink(bus, hlc, ComponentId.of(63));
            net = NetworkNode.start(new NetworkNode.Settings(id, endpoints, new File(dir, "aeron-" + id), 64 * 1024, retransmitMs,
                    unreachableMs, 4096), new CodecRegistry(), hlc, d -> {
                        arrived.add(d.packet().messageId());
                        link.deliver(d);
                    }, link::deadLetter);
            link.attach(net);
            for (String ch : BRIDGED) {
                StandaloneBus.handle(bus, ch, (PacketHandler<Object>) link::forward, true);
                if (!ch.equals("svc") && !ch.equals(RequestReply.REPLY_CHANNEL)) {
                    StandaloneBus.handle(bus, ch, (PacketHandler<Object>) delivered::add, false);
                }
            }
        }

        void close() {
            CloseHelper.quietClose(net);
            bus.close();
            StandaloneBus.closeLog(log);
        }

        List<Object> payloads(String channel) {
            return delivered.stream().filter(p -> p.channel().equals(channel)).map(PhasePacket::payload).toList();
        }

        long publish(String channel, Object payload) {
            return bus.publish(PhasePacket.builder(payload).channel(channel).guaranteed(3).build());
        }
    }

    @AfterEach
    void close() {
        for (Node n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        timer.shutdownNow();
    }

    private static Map<Integer, String> endpoints(int... ids) {
        Map<Integer, String> m = new TreeMap<>();
        for (int id : ids) {
            while (!m.containsKey(id)) {
                int port = 21_000 + ThreadLocalRandom.current().nextInt(20_000);
                try (DatagramSocket s = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
                    s.getLocalPort();
                } catch (Exception e) {
                    continue;
                }
                if (!m.containsValue("127.0.0.1:" + port)) {
                    m.put(id, "127.0.0.1:" + port);
                }
            }
        }
        return m;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Nodes 1 and 2 up and connected both ways. */
    private void startBoth(long retransmitMs, long unreachableMs) throws Exception {
        start(retransmitMs, unreachableMs, 1, 2);
    }

    /** The nodes up and connected every way (a best-effort warm-up packet from each seen on each other). */
    private void start(long retransmitMs, long unreachableMs, int... ids) throws Exception {
        endpoints = endpoints(ids);
        for (int id : ids) {
            nodes[id] = new Node(id, retransmitMs, unreachableMs);
        }
        for (int from : ids) {
            for (int to : ids) {
                if (from != to) {
                    Node a = nodes[from];
                    Node b = nodes[to];
                    String hello = "warm-up from " + from;
                    await(() -> {
                        a.bus.publish(PhasePacket.builder(hello).channel("orders").build());
                        return b.payloads("orders").contains(hello);
                    }, "node " + from + " reaches node " + to);
                }
            }
        }
        Thread.sleep(50); // let the last warm-ups land before the tests clear them
        for (int id : ids) {
            nodes[id].delivered.clear();
            nodes[id].arrived.clear();
        }
    }

    @Test
    void shouldKeepAPacketsIdentityAndHoldADependentThatOvertookItsDependencyAcrossNodes() throws Exception {
        startBoth(1_000, 20_000);
        Node a = nodes[1];
        Node b = nodes[2];
        // the first packet's frames are lost on the way to node 2 (retransmitted after 1 s) ...
        a.net.lose(2, true);
        long sentBefore = a.net.counters().get("sent");
        long first = a.publish("orders", "first");
        await(() -> a.net.counters().get("sent") > sentBefore, "first sent (and lost)");
        a.net.lose(2, false);
        // ... so the second, which depends on it, arrives first on node 2 and must wait there
        long second = a.bus.publish(PhasePacket.builder("second").channel("orders").guaranteed(3).dependsOn(first).build());
        await(() -> b.payloads("orders").size() == 2, "both on node 2");
        assertThat(b.arrived).as("arrival order on node 2").containsExactly(second, first);
        assertThat(b.payloads("orders")).as("delivery order on node 2").containsExactly("first", "second");
        PhasePacket<Object> got = b.delivered.get(0);
        assertThat(got.messageIdValue()).isEqualTo(first);
        assertThat(new MessageId(got.messageIdValue()).nodeId()).isEqualTo(1);
        assertThat(got.timestamp()).isEqualTo(a.delivered.stream().filter(p -> p.payload().equals("first")).findFirst()
                .orElseThrow().timestamp());
        assertThat(b.delivered.get(1).messageIdValue()).isEqualTo(second);
        assertThat(b.delivered.get(1).causalDependencies()).containsExactly(first);
        assertThat(b.delivered.get(1).delivery().isGuaranteed()).isTrue();
        // node 2's own ids stay its own, and a packet of node 2 depending on node 1's is not sent back
        long own = b.publish("orders", "from-2");
        assertThat(new MessageId(own).nodeId()).isEqualTo(2);
        await(() -> a.payloads("orders").contains("from-2"), "node 2's packet on node 1");
        assertThat(a.payloads("orders")).containsExactly("first", "second", "from-2");
    }

    @Test
    void shouldCarryCLogicRecordsAcrossNodesThroughTheBuiltInCodecs() throws Exception {
        startBoth(100, 10_000);
        Node a = nodes[1];
        Node b = nodes[2];
        io.chronofabric.api.clogic.Sample sample = new io.chronofabric.api.clogic.Sample("sensor.7", -0.0, 123_456_789L);
        io.chronofabric.api.clogic.GovernanceDecision decision = new io.chronofabric.api.clogic.GovernanceDecision("drpp",
                "resonance", io.chronofabric.api.clogic.GovernanceAction.ALERT, 0.75, "robustness below 0", 42L, "spec.temp",
                Double.NEGATIVE_INFINITY, "G[0,10] (temp < 80)");
        io.chronofabric.api.clogic.GovernanceDecision noSpec = new io.chronofabric.api.clogic.GovernanceDecision("*", "fft",
                io.chronofabric.api.clogic.GovernanceAction.SET_RATE, 2, "", 43L); // robustness NaN, spec and rule ""
        a.publish("orders", sample);
        a.publish("orders", decision);
        a.publish("orders", noSpec);
        await(() -> b.payloads("orders").size() == 3, "the three records on node 2");
        assertThat(b.payloads("orders")).containsExactly(sample, decision, noSpec);
        assertThat(b.payloads("orders").get(0)).isNotSameAs(sample);
        assertThat(Double.doubleToRawLongBits(((io.chronofabric.api.clogic.Sample) b.payloads("orders").get(0)).value()))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(((io.chronofabric.api.clogic.GovernanceDecision) b.payloads("orders").get(2)).robustness()).isNaN();
    }

    @Test
    void shouldLeaveOutADependencyOnAPacketThatNeverCrossesNodes() throws Exception {
        startBoth(100, 10_000);
        Node a = nodes[1];
        Node b = nodes[2];
        long privateId = a.bus.publish(PhasePacket.builder("stays on node 1").channel("private").build()); // not bridged
        long crossed = a.publish("orders", "crossed");
        a.bus.publish(PhasePacket.builder("depends on both").channel("orders").guaranteed(3).dependsOn(privateId, crossed)
                .build());
        await(() -> b.payloads("orders").size() == 2, "both on node 2 (not held for the packet that never comes)");
        assertThat(b.payloads("orders")).containsExactly("crossed", "depends on both");
        assertThat(b.delivered.get(1).causalDependencies()).containsExactly(crossed);
        assertThat(a.delivered.stream().filter(p -> p.payload().equals("depends on both")).findFirst().orElseThrow()
                .causalDependencies()).containsExactly(privateId, crossed);
    }

    @Test
    void shouldRecordAnUnreachableNodesDeadLetterInTheDurableLogWithTheReason() throws Exception {
        endpoints = endpoints(1, 2);
        nodes[1] = new Node(1, 100, 2_000); // node 2 never starts
        long id = nodes[1].publish("audit", "to nobody");
        await(() -> nodes[1].log.size() > 0, "the dead letter in the log");
        DeadLetterEntry e = nodes[1].log.latest(10).get(0);
        assertThat(e.messageIdValue()).isEqualTo(id);
        assertThat(e.channel()).isEqualTo("audit");
        assertThat(e.payloadText()).isEqualTo("to nobody");
        assertThat(e.reason()).contains("node 2 unreachable: no acknowledgement within 2000 ms");
        assertThat(nodes[1].log.size()).isEqualTo(1);
    }

    @Test
    void shouldNeverDeliverAPacketAfterItsSenderDeclaredItDeadEvenWhenItsFramesArriveAfterTheHeal() throws Exception {
        startBoth(100, 2_000); // horizon 1500 ms (unreachable 2000 - max offset 500)
        Node a = nodes[1];
        Node b = nodes[2];
        a.net.cut(2, true); // frames to node 2 are held back, and all arrive when the link heals
        long lost = a.publish("audit", "declared-dead");
        await(() -> a.log.size() == 1, "dead-lettered on node 1");
        assertThat(a.log.latest(1).get(0).messageIdValue()).isEqualTo(lost);
        assertThat(a.log.latest(1).get(0).reason()).contains("node 2 unreachable");
        a.net.cut(2, false); // the original and its retransmissions now reach node 2, in order
        long after = a.publish("audit", "after-heal");
        await(() -> b.payloads("audit").contains("after-heal"), "the packet sent after the heal");
        // the held-back frames are released by node 1's agent, "after-heal" straight from this thread: it may come first
        await(() -> b.net.counters().get("refusedLate") > 0, "the late frames refused");
        assertThat(b.payloads("audit")).containsExactly("after-heal");
        assertThat(b.log.size()).isZero();
        assertThat(after).isNotEqualTo(lost);
    }

    @Test
    void shouldDeliverAPacketFromAShortCutOnceAfterTheHeal() throws Exception {
        startBoth(100, 10_000);
        Node a = nodes[1];
        Node b = nodes[2];
        a.net.cut(2, true);
        a.publish("audit", "during-cut");
        await(() -> a.net.counters().get("retransmits") >= 3, "retransmitted while cut");
        a.net.cut(2, false);
        await(() -> b.payloads("audit").contains("during-cut"), "delivered after the heal");
        a.publish("audit", "after");
        await(() -> b.payloads("audit").contains("after"), "the next one");
        assertThat(b.payloads("audit")).containsExactly("during-cut", "after");
        assertThat(a.log.size()).isZero();
    }

    @Test
    void shouldContinueATraceOnTheReceivingNodeWithADeliverSpanUnderTheOriginsPublishSpan() throws Exception {
        startBoth(100, 10_000);
        Node a = nodes[1];
        Node b = nodes[2];
        StandaloneBus.spanSinks(a.bus, List.of(a.spans::add));
        StandaloneBus.spanSinks(b.bus, List.of(b.spans::add));
        TraceContext parent = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        long id = a.bus.publish(PhasePacket.builder("t").channel("traced").guaranteed(3).trace(parent).build());
        await(() -> b.spans.stream().anyMatch(s -> s.name().equals("handler")), "spans on node 2");
        Span publish = a.spans.stream().filter(s -> s.name().equals("publish")).findFirst().orElseThrow();
        Span deliver = b.spans.stream().filter(s -> s.name().equals("deliver")).findFirst().orElseThrow();
        assertThat(publish.parentIdHex()).isEqualTo("00f067aa0ba902b7");
        assertThat(deliver.trace().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(deliver.parentSpanId()).as("node 2's deliver span is a child of node 1's publish span").isEqualTo(publish.spanId());
        assertThat(deliver.messageId()).isEqualTo(id);
        assertThat(b.spans).noneMatch(s -> s.name().equals("publish"));
    }

    @Test
    void shouldAnswerARequestWhoseResponderIsOnAnotherNode() throws Exception {
        startBoth(100, 10_000);
        Node a = nodes[1];
        Node b = nodes[2];
        StandalonePatterns.Requester requester = StandalonePatterns.requester(a.bus, timer);
        StandaloneBus.handle(a.bus, RequestReply.REPLY_CHANNEL, requester.replies(), false);
        StandalonePatterns.Requester other = StandalonePatterns.requester(b.bus, timer);
        StandaloneBus.handle(b.bus, RequestReply.REPLY_CHANNEL, other.replies(), false);
        Responder<String, String> upper = r -> {
            if (r.payload().equals("fail")) {
                throw new IllegalStateException("cannot");
            }
            return r.payload().toUpperCase() + "@node" + b.id;
        };
        StandaloneBus.handle(b.bus, "svc", StandalonePatterns.responder(upper, "svc", b.bus), false);
        PhasePacket<String> reply = requester.request("svc", "hello", String.class, Duration.ofSeconds(30))
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(reply.payload()).isEqualTo("HELLO@node2");
        assertThat(new MessageId(reply.messageIdValue()).nodeId()).as("the reply was published on node 2").isEqualTo(2);
        assertThat(new MessageId(reply.causalDependency(0)).nodeId()).isEqualTo(1);
        // a responder's failure crosses nodes too
        assertThat(requester.request("svc", "fail", String.class, Duration.ofSeconds(30)).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(60)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(RequestFailedException.class).withMessageContaining("cannot");
        assertThat(requester.pending()).isZero();
        // the replies were published on node 2 as well: its own requester matched neither
        await(() -> other.unmatched() == 2, "node 2 ignores replies to node 1's requests");
    }

    @Test
    void shouldSendAReplyOnlyToTheRequestersNode() throws Exception {
        start(100, 10_000, 1, 2, 3);
        StandalonePatterns.Requester requester = StandalonePatterns.requester(nodes[1].bus, timer);
        StandaloneBus.handle(nodes[1].bus, RequestReply.REPLY_CHANNEL, requester.replies(), false);
        StandalonePatterns.Requester bystander = StandalonePatterns.requester(nodes[3].bus, timer);
        StandaloneBus.handle(nodes[3].bus, RequestReply.REPLY_CHANNEL, bystander.replies(), false);
        Responder<String, String> echo = r -> "echo " + r.payload();
        StandaloneBus.handle(nodes[2].bus, "svc", StandalonePatterns.responder(echo, "svc", nodes[2].bus), false);
        PhasePacket<String> reply = requester.request("svc", "ping", String.class, Duration.ofSeconds(30))
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(reply.payload()).isEqualTo("echo ping");
        // node 2 sends node 3 a marker after the reply: frames of one publication arrive in order
        nodes[2].publish("orders", "marker");
        await(() -> nodes[3].payloads("orders").contains("marker"), "the marker on node 3");
        assertThat(bystander.unmatched()).as("replies that reached node 3").isZero();
        assertThat(nodes[3].arrived).hasSize(2); // the request from node 1 and the marker, no reply
    }
}
