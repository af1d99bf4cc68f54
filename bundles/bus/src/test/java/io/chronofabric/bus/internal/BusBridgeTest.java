package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.trace.Span;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bridge side of the bus (BusBridge): packets of another node (node 7) published on this bus
 * (node 1) under their origin id and HLC, causal dependencies on them honoured, dead letters of
 * bridges recorded in the log.
 */
class BusBridgeTest extends BusTestSupport {

    private static final int REMOTE = 7;

    private static LogicalTime remoteTime() {
        return new LogicalTime(System.currentTimeMillis() * 1_000_000L, 3, REMOTE);
    }

    @Test
    void shouldPublishAForeignPacketUnderItsOriginIdAndTimestamp() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Collecting<String> h = new Collecting<>();
        bus.addHandler(h, Object.class, "orders", -1, "test");
        long origin = MessageId.pack(REMOTE, 42);
        LogicalTime t = remoteTime();
        assertThat(bus.publishForeign(PhasePacket.builder("o-1").channel("orders").build(), origin, t)).isEqualTo(origin);
        await(() -> h.received.size() == 1, "the foreign packet delivered");
        assertThat(h.received.get(0).messageIdValue()).isEqualTo(origin);
        assertThat(h.received.get(0).timestamp()).isEqualTo(t);
        // the local sequence is untouched: the next local id is this bus's own
        long local = bus.publish(PhasePacket.builder("local").channel("orders").build());
        assertThat(new MessageId(local).nodeId()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAForeignIdOfThisNodeAndAPassedDeadline() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        assertThatThrownBy(() -> bus.publishForeign(PhasePacket.builder("x").channel("c").build(), MessageId.pack(1, 5),
                remoteTime())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names this bus's own node 1");
        assertThatThrownBy(() -> bus.publishForeign(PhasePacket.builder("x").channel("c").deadline(1).build(),
                MessageId.pack(REMOTE, 5), remoteTime())).isInstanceOf(TemporalViolationException.class)
                .hasMessageContaining("7:5 from node 7").hasMessageContaining("in the past when it arrived");
    }

    @Test
    void shouldHoldALocalPacketDependingOnARemoteMessageUntilThatOneIsDeliveredHere() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Collecting<String> h = new Collecting<>();
        bus.addHandler(h, Object.class, "flow", -1, "test");
        long remote = MessageId.pack(REMOTE, 1000);
        // a local packet naming a message of node 7 that has not arrived: held, not assumed done
        bus.publish(PhasePacket.builder("after").channel("flow").dependsOn(remote).build());
        // a foreign packet depending on another foreign one that arrives later (a retransmission overtaken)
        long remoteEarlier = MessageId.pack(REMOTE, 999);
        bus.publishForeign(PhasePacket.builder("remote-second").channel("flow").dependsOn(remoteEarlier).build(),
                MessageId.pack(REMOTE, 1001), remoteTime());
        assertThat(bus.causalHeldCount()).isEqualTo(2);
        bus.publishForeign(PhasePacket.builder("remote-first").channel("flow").build(), remoteEarlier, remoteTime());
        await(() -> h.received.size() == 2, "remote-first, then the one depending on it");
        assertThat(h.payloads()).containsExactly("remote-first", "remote-second");
        bus.publishForeign(PhasePacket.builder("the dependency").channel("flow").build(), remote, remoteTime());
        await(() -> h.received.size() == 4, "the dependency, then the local packet held for it");
        assertThat(h.payloads()).containsExactly("remote-first", "remote-second", "the dependency", "after");
    }

    @Test
    void shouldExpireAPacketWaitingForARemoteMessageThatNeverArrivesNamingIt() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        bus.setRemoteWaitNanos(TimeUnit.MILLISECONDS.toNanos(200));
        Collecting<String> h = new Collecting<>();
        bus.addHandler(h, Object.class, "flow", -1, "test");
        bus.publish(PhasePacket.builder("orphan").channel("flow").guaranteed(1).dependsOn(MessageId.pack(REMOTE, 5)).build());
        await(() -> !deadLetters.entries.isEmpty(), "the orphan dead-lettered after the remote wait bound");
        assertThat(deadLetters.entries.get(0).reason()).contains("waited 200 ms (the remote wait bound)")
                .contains("7:5 of node 7");
        assertThat(h.received).isEmpty();
    }

    @Test
    void shouldCountARemoteDependencyDoneOnlyOnceItsDeliveryFinished() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        bus.addHandler((io.chronofabric.api.bus.PacketHandler<String>) p -> {
            if (p.payload().equals("slow")) {
                inHandler.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            order.add(p.payload());
        }, String.class, "a", -1, "test", false);
        Collecting<String> other = new Collecting<>();
        bus.addHandler(other, Object.class, "b", -1, "test");
        long slow = MessageId.pack(REMOTE, 1);
        bus.publishForeign(PhasePacket.builder("slow").channel("a").build(), slow, remoteTime());
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
        bus.publish(PhasePacket.builder("dependent").channel("b").dependsOn(slow).build());
        assertThat(bus.causalHeldCount()).isEqualTo(1); // "slow" is being handled, not done
        release.countDown();
        await(() -> other.received.size() == 1, "the dependent after slow's handler returned");
        assertThat(order).containsExactly("slow");
    }

    @Test
    void shouldRecordABridgesDeadLettersInTheLogUnderTheirIds() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        PhasePacket<String> sent = PhasePacket.builder("to node 2").channel("audit").guaranteed(3).build();
        long id = bus.publish(sent);
        assertThat(bus.deadLetter(sent, "node 2 unreachable: no acknowledgement within 5000 ms")).isZero();
        long origin = MessageId.pack(REMOTE, 9);
        LogicalTime t = remoteTime();
        assertThat(bus.deadLetterForeign(PhasePacket.builder(new byte[] {1}).channel("audit").build(), origin, t,
                "no payload codec 'x' on node 1")).isEqualTo(1);
        assertThat(deadLetters.entries).hasSize(2);
        assertThat(deadLetters.entries.get(0).packet().messageIdValue()).isEqualTo(id);
        assertThat(deadLetters.entries.get(0).reason()).isEqualTo("node 2 unreachable: no acknowledgement within 5000 ms");
        assertThat(deadLetters.entries.get(1).packet().messageIdValue()).isEqualTo(origin);
        assertThat(deadLetters.entries.get(1).packet().timestamp()).isEqualTo(t);
        assertThatThrownBy(() -> bus.deadLetter(PhasePacket.builder("x").build(), "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not published");
    }

    @Test
    void shouldContinueAForeignPacketsTraceWithADeliverSpanUnderItsOriginPublishSpan() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        List<Span> spans = new CopyOnWriteArrayList<>();
        bus.setSpanSinks(List.of(spans::add));
        bus.addHandler((io.chronofabric.api.bus.PacketHandler<String>) p -> { }, String.class, "traced", -1, "test", false);
        io.chronofabric.api.trace.TraceContext origin = io.chronofabric.api.trace.TraceContext
                .parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        long id = MessageId.pack(REMOTE, 77);
        bus.publishForeign(PhasePacket.builder("x").channel("traced").trace(origin).build(), id, remoteTime());
        await(() -> spans.size() == 2, "deliver and handler spans (the publish span is the origin's)");
        Span deliver = spans.stream().filter(s -> s.name().equals("deliver")).findFirst().orElseThrow();
        assertThat(deliver.trace().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(deliver.parentSpanId()).isEqualTo(io.chronofabric.api.trace.TraceContext.publishSpanId(id, origin));
        assertThat(deliver.messageId()).isEqualTo(id);
    }

    @Test
    void shouldNotMixARemoteNodesSequencesWithLocalOnes() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Collecting<String> h = new Collecting<>();
        bus.addHandler(h, Object.class, "c", -1, "test");
        long local = bus.publish(PhasePacket.builder("never taken").build()); // typed, nobody subscribes: done at once
        long localSeq = new MessageId(local).sequence();
        // node 7's message with the same sequence as a local one that is done: not done itself
        bus.publish(PhasePacket.builder("waits").channel("c").dependsOn(MessageId.pack(REMOTE, localSeq)).build());
        assertThat(bus.causalHeldCount()).isEqualTo(1);
        bus.publishForeign(PhasePacket.builder("remote").channel("c").build(), MessageId.pack(REMOTE, localSeq), remoteTime());
        await(() -> h.received.size() == 2, "released");
        assertThat(h.payloads()).containsExactly("remote", "waits");
    }
}
