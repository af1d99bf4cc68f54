package io.chronofabric.network.internal;

import static io.chronofabric.network.internal.BusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.Responder;
import io.chronofabric.bus.internal.StandaloneBus;
import io.chronofabric.patterns.internal.StandalonePatterns;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real buses over loopback UDP, the causal wait bound for other nodes' messages
 * (causal.remote.wait.ms) at 30 s: a packet that depends on a reply unicast to one node is not held
 * on the other nodes until the bound (the reply never comes there), and is still held on the node
 * the reply was addressed to until the reply was delivered there.
 */
class UnicastDependencyTest {

    private static final long REMOTE_WAIT_MS = 30_000;
    /** Well under the bound: a packet held for the reply that never comes would wait 30 s. */
    private static final long PROMPT_S = 8;

    @TempDir
    File dir;

    private BusNodes cluster;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
        timer.shutdownNow();
    }

    private void start(long retransmitMs) throws Exception {
        cluster = new BusNodes(dir, 1, 2, 3);
        for (int id = 1; id <= 3; id++) {
            cluster.start(cluster.settings(id, retransmitMs, 20_000, 64 * 1024), REMOTE_WAIT_MS);
        }
        cluster.connect(1, 2, 3);
    }

    @Test
    void shouldDeliverPromptlyOnAThirdNodeAPacketThatDependsOnAReplyUnicastToTheRequestersNode() throws Exception {
        start(200);
        BusNodes.Node requesterNode = cluster.nodes[1];
        BusNodes.Node responderNode = cluster.nodes[2];
        BusNodes.Node third = cluster.nodes[3];
        StandalonePatterns.Requester requester = StandalonePatterns.requester(requesterNode.bus, timer);
        StandaloneBus.handle(requesterNode.bus, RequestReply.REPLY_CHANNEL, requester.replies(), false);
        Responder<String, String> echo = r -> "echo " + r.payload();
        StandaloneBus.handle(responderNode.bus, "svc", StandalonePatterns.responder(echo, "svc", responderNode.bus), false);

        PhasePacket<String> reply = requester.request("svc", "ping", String.class, Duration.ofSeconds(30))
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        long r = reply.messageIdValue();
        assertThat(reply.payload()).isEqualTo("echo ping");
        // node 1 publishes what follows from the reply, to every node
        long p = requesterNode.publish("orders", "after the reply", r);

        await(() -> third.hasDelivered(p), PROMPT_S, "node 3 delivers the dependent of a reply it never gets (bound "
                + REMOTE_WAIT_MS + " ms)");
        await(() -> responderNode.hasDelivered(p), PROMPT_S, "node 2 (the reply's origin) delivers the dependent");
        assertThat(third.arrived).as("the reply never reached node 3").doesNotContain(r);
        assertThat(third.deliveredWith(p).causalDependencies()).as("left out by its sender: addressed to node 1 only").isEmpty();
        assertThat(responderNode.deliveredWith(p).causalDependencies()).isEmpty();
        assertThat(requesterNode.deliveredWith(p).causalDependencies()).as("on its own node, as published").containsExactly(r);
        assertThat(requesterNode.net.addressedOnlyHere(r)).isTrue();
        assertThat(third.net.addressedOnlyHere(r)).isFalse();
        assertThat(third.log.size()).as("nothing expired on node 3").isZero();
    }

    @Test
    void shouldHoldOnlyOnTheAddresseeAPacketThatDependsOnAReplyUnicastByItsOwnNode() throws Exception {
        start(1_000);
        BusNodes.Node one = cluster.nodes[1];
        BusNodes.Node two = cluster.nodes[2];
        BusNodes.Node three = cluster.nodes[3];
        long request = one.publish("orders", "request");
        await(() -> two.hasDelivered(request), 60, "the request on node 2");
        // node 2's reply to node 1 is lost on the way (sent again after 1 s) ...
        two.net.lose(1, true);
        long sentBefore = two.net.counters().get("sent");
        long reply = two.publish(RequestReply.REPLY_CHANNEL, "reply", request);
        await(() -> two.net.counters().get("sent") > sentBefore, 60, "the reply sent (and lost)");
        two.net.lose(1, false);
        // ... so the packet depending on it reaches node 1 first, where it must wait; node 3 never gets the reply
        long dependent = two.publish("orders", "after the reply", reply);

        await(() -> three.hasDelivered(dependent), PROMPT_S, "node 3 delivers the dependent (bound " + REMOTE_WAIT_MS + " ms)");
        assertThat(three.deliveredWith(dependent).causalDependencies()).as("scoped to node 1: left out on node 3").isEmpty();
        assertThat(three.arrived).doesNotContain(reply);
        await(() -> one.hasDelivered(dependent), 60, "the dependent on node 1");
        assertThat(one.arrived).as("arrival order on node 1").containsSubsequence(dependent, reply);
        assertThat(one.delivered.stream().map(PhasePacket::messageIdValue).toList()).as("delivery order on node 1")
                .containsSubsequence(reply, dependent);
        assertThat(one.deliveredWith(dependent).causalDependencies()).as("kept for node 1, the reply's addressee")
                .containsExactly(reply);
        assertThat(one.deliveredWith(reply).causalDependencies()).as("the reply's correlation").containsExactly(request);
    }

    @Test
    void shouldStillHoldOnEveryNodeAPacketThatDependsOnOneSentToEveryNode() throws Exception {
        start(1_000);
        BusNodes.Node one = cluster.nodes[1];
        BusNodes.Node three = cluster.nodes[3];
        one.net.lose(3, true);
        long sentBefore = one.net.counters().get("sent");
        long first = one.publish("orders", "first");
        await(() -> one.net.counters().get("sent") > sentBefore, 60, "first sent (and lost on the way to node 3)");
        one.net.lose(3, false);
        long second = one.publish("orders", "second", first);
        await(() -> three.hasDelivered(second), 60, "the dependent on node 3");
        assertThat(three.arrived).containsSubsequence(second, first);
        assertThat(three.payloads("orders")).containsExactly("first", "second");
        assertThat(three.deliveredWith(second).causalDependencies()).containsExactly(first);
    }
}
