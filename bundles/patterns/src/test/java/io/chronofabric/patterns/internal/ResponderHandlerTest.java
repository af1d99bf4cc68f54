package io.chronofabric.patterns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.ResponderFailure;
import org.junit.jupiter.api.Test;

class ResponderHandlerTest {

    private final FakeBus bus = new FakeBus(Runnable::run);

    private PhasePacket<Object> request(Object payload) {
        PhasePacket<Object> p = PhasePacket.builder(payload).channel("req").build();
        bus.publish(p);
        bus.published.clear();
        return p;
    }

    @Test
    void shouldPublishTheAnswerOnTheReplyChannelDependingOnTheRequest() {
        ResponderHandler h = new ResponderHandler((PhasePacket<Object> r) -> "ok " + r.payload(), "req", null, () -> bus);
        PhasePacket<Object> req = request("a");

        h.onPacket(req);

        assertThat(bus.published).hasSize(1);
        PhasePacket<?> reply = bus.published.get(0);
        assertThat(reply.channel()).isEqualTo(RequestReply.REPLY_CHANNEL);
        assertThat(reply.payload()).isEqualTo("ok a");
        assertThat(reply.causalDependencies()).containsExactly(req.messageIdValue());
        assertThat(h.answered()).isEqualTo(1);
    }

    @Test
    void shouldNotReplyWhenTheResponderReturnsNull() {
        ResponderHandler h = new ResponderHandler((PhasePacket<Object> r) -> null, "req", null, () -> bus);

        h.onPacket(request("a"));

        assertThat(bus.published).isEmpty();
    }

    @Test
    void shouldAnswerAFailureWhenTheResponderThrows() {
        ResponderHandler h = new ResponderHandler((PhasePacket<Object> r) -> {
            throw new IllegalStateException("broken");
        }, "req", null, () -> bus);

        h.onPacket(request("a"));

        assertThat(bus.published).hasSize(1);
        assertThat(bus.published.get(0).payload()).isInstanceOfSatisfying(ResponderFailure.class, f -> {
            assertThat(f.channel()).isEqualTo("req");
            assertThat(f.error()).isEqualTo("java.lang.IllegalStateException: broken");
        });
        assertThat(h.failed()).isEqualTo(1);
    }

    @Test
    void shouldAcceptOnlyRequestsOfItsType() {
        ResponderHandler h = new ResponderHandler((PhasePacket<Object> r) -> "x", "req", Integer.class, () -> bus);

        assertThat(h.accepts(PhasePacket.builder((Object) 1).build())).isTrue();
        assertThat(h.accepts(PhasePacket.builder((Object) "1").build())).isFalse();
    }

    @Test
    void shouldNotThrowWithoutABus() {
        ResponderHandler h = new ResponderHandler((PhasePacket<Object> r) -> "x", "req", null, () -> null);

        h.onPacket(request("a"));

        assertThat(h.answered()).isZero();
    }

    @Test
    void shouldEchoTheRequestPayloadWithTheBuiltInEchoResponder() {
        ResponderHandler h = new ResponderHandler(new RequestReplyService.EchoResponder(), "chronofabric.echo", null, () -> bus);

        h.onPacket(request("ping 1"));

        assertThat(bus.published).singleElement().satisfies(p -> assertThat(p.payload()).isEqualTo("ping 1"));
    }

    @Test
    void shouldPublishTheValueOfAnAsynchronousAnswerWhenItsStageCompletes() {
        java.util.concurrent.CompletableFuture<Object> later = new java.util.concurrent.CompletableFuture<>();
        ResponderHandler h = new ResponderHandler((PhasePacket<Object> r) -> later, "req", null, () -> bus);
        PhasePacket<Object> req = request("a");

        h.onPacket(req);
        assertThat(bus.published).as("nothing before the stage completes").isEmpty();
        later.complete("done a");

        assertThat(bus.published).singleElement().satisfies(p -> {
            assertThat(p.payload()).isEqualTo("done a");
            assertThat(p.channel()).isEqualTo(RequestReply.REPLY_CHANNEL);
            assertThat(p.causalDependencies()).containsExactly(req.messageIdValue());
        });
        assertThat(h.answered()).isEqualTo(1);
    }

    @Test
    void shouldAnswerAFailureWhenAnAsynchronousAnswerFails() {
        ResponderHandler h = new ResponderHandler((PhasePacket<Object> r) -> java.util.concurrent.CompletableFuture
                .supplyAsync(() -> { throw new IllegalArgumentException("no such module"); }, Runnable::run), "req", null, () -> bus);

        h.onPacket(request("a"));

        assertThat(bus.published).singleElement().satisfies(p -> assertThat(p.payload())
                .isInstanceOfSatisfying(ResponderFailure.class, f -> assertThat(f.error()).isEqualTo("java.lang.IllegalArgumentException: no such module")));
        assertThat(h.failed()).isEqualTo(1);
    }

    @Test
    void shouldNotReplyWhenAnAsynchronousAnswerIsNull() {
        ResponderHandler h = new ResponderHandler((PhasePacket<Object> r) -> java.util.concurrent.CompletableFuture.completedFuture(null), "req", null, () -> bus);

        h.onPacket(request("a"));

        assertThat(bus.published).isEmpty();
    }
}
