package io.chronofabric.patterns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.patterns.RequestFailedException;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.RequestTimeoutException;
import io.chronofabric.api.patterns.Responder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestCorrelatorTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private ScheduledThreadPoolExecutor timer;
    private ExecutorService dispatcher;
    private RequestCorrelator correlator;

    @BeforeEach
    void setUp() {
        timer = new ScheduledThreadPoolExecutor(1);
        dispatcher = Executors.newSingleThreadExecutor();
        correlator = new RequestCorrelator(timer, 100);
    }

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
        dispatcher.shutdownNow();
    }

    private FakeBus busWithResponder(java.util.concurrent.Executor delivery, String channel, Responder<?, ?> responder) {
        FakeBus[] holder = new FakeBus[1];
        FakeBus bus = new FakeBus(delivery);
        holder[0] = bus;
        bus.register(channel, new ResponderHandler(responder, channel, null, () -> holder[0]));
        bus.register(RequestReply.REPLY_CHANNEL, (PacketHandler<Object>) correlator::onReply);
        return bus;
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldCompleteWithTheReplyCorrelatedByTheRequestId() throws Exception {
        FakeBus bus = busWithResponder(dispatcher, "math.double", (PhasePacket<Object> r) -> ((Integer) r.payload()) * 2);

        PhasePacket<Integer> reply = await(correlator.<Integer>request(bus, "math.double", 21, Integer.class, LONG));

        assertThat(reply.payload()).isEqualTo(42);
        PhasePacket<?> request = bus.published.get(0);
        assertThat(request.channel()).isEqualTo("math.double");
        assertThat(request.payload()).isEqualTo(21);
        assertThat(reply.channel()).isEqualTo(RequestReply.REPLY_CHANNEL);
        assertThat(reply.causalDependency(0)).isEqualTo(request.messageIdValue());
        assertThat(correlator.pending()).isZero();
        assertThat(correlator.answered()).isEqualTo(1);
    }

    @Test
    void shouldMatchAReplyDeliveredBeforePublishReturned() throws Exception {
        // delivery on the publishing thread: the reply arrives while publish(request) is still running
        FakeBus bus = busWithResponder(Runnable::run, "echo", (PhasePacket<Object> r) -> "re:" + r.payload());

        PhasePacket<String> reply = await(correlator.<String>request(bus, "echo", "hi", LONG));

        assertThat(reply.payload()).isEqualTo("re:hi");
        assertThat(correlator.unmatched()).isZero();
        assertThat(correlator.pending()).isZero();
    }

    @Test
    void shouldKeepEachCallerItsOwnReplyUnderConcurrency() throws Exception {
        FakeBus bus = busWithResponder(dispatcher, "echo", (PhasePacket<Object> r) -> r.payload());
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            int n = 400;
            CountDownLatch start = new CountDownLatch(1);
            java.util.List<CompletableFuture<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int v = i;
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return await(correlator.<Integer>request(bus, "echo", v, Integer.class, LONG)).payload() == v;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, callers));
            }
            start.countDown();
            for (CompletableFuture<Boolean> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(correlator.answered()).isEqualTo(n);
            assertThat(correlator.pending()).isZero();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void shouldTimeOutNamingTheChannelWhenNobodyAnswers() {
        FakeBus bus = new FakeBus(dispatcher);
        bus.register(RequestReply.REPLY_CHANNEL, (PacketHandler<Object>) correlator::onReply);

        var stage = correlator.request(bus, "nobody.home", "ping", Duration.ofMillis(200));

        assertThatThrownBy(() -> await(stage)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("'nobody.home'").hasMessageContaining("200 ms")
                .hasMessageContaining("no subscriber");
        assertThat(correlator.timedOut()).isEqualTo(1);
        assertThat(correlator.pending()).isZero();
    }

    @Test
    void shouldIgnoreRepliesThatNameAnotherRequest() throws Exception {
        FakeBus bus = new FakeBus(Runnable::run);
        bus.register(RequestReply.REPLY_CHANNEL, (PacketHandler<Object>) correlator::onReply);
        var stage = correlator.request(bus, "quiet", "ping", Duration.ofMillis(300));
        long requestId = bus.published.get(0).messageIdValue();

        bus.publish(PhasePacket.builder("stray").channel(RequestReply.REPLY_CHANNEL).dependsOn(requestId + 1).build());
        bus.publish(PhasePacket.builder("no deps").channel(RequestReply.REPLY_CHANNEL).build());

        assertThatThrownBy(() -> await(stage)).cause().isInstanceOf(RequestTimeoutException.class);
        assertThat(correlator.unmatched()).isEqualTo(2);
    }

    @Test
    void shouldFailAtOnceWhenTheResponderThrows() {
        FakeBus bus = busWithResponder(dispatcher, "fragile", (PhasePacket<Object> r) -> {
            throw new IllegalArgumentException("cannot parse " + r.payload());
        });

        var stage = correlator.request(bus, "fragile", "x", LONG);

        assertThatThrownBy(() -> await(stage)).cause().isInstanceOf(RequestFailedException.class)
                .hasMessageContaining("'fragile'").hasMessageContaining("IllegalArgumentException: cannot parse x");
    }

    @Test
    void shouldFailATypedRequestWhoseReplyHasAnotherType() {
        FakeBus bus = busWithResponder(dispatcher, "echo", (PhasePacket<Object> r) -> "text");

        var stage = correlator.request(bus, "echo", 1, Integer.class, LONG);

        assertThatThrownBy(() -> await(stage)).cause().isInstanceOf(ClassCastException.class)
                .hasMessageContaining("java.lang.String").hasMessageContaining("java.lang.Integer").hasMessageContaining("'echo'");
    }

    @Test
    void shouldRefuseRequestsBeyondMaxPending() {
        FakeBus bus = new FakeBus(dispatcher);
        correlator.maxPending(2);
        correlator.request(bus, "slow", 1, LONG);
        correlator.request(bus, "slow", 2, LONG);

        var third = correlator.request(bus, "slow", 3, LONG);

        assertThatThrownBy(() -> await(third)).cause().isInstanceOf(ResourceExhaustedException.class)
                .hasMessageContaining("2 requests already wait").hasMessageContaining("'slow'");
        assertThat(correlator.pending()).isEqualTo(2);
        assertThat(bus.published).hasSize(2);
    }

    @Test
    void shouldFailPendingRequestsWhenStopped() {
        FakeBus bus = new FakeBus(dispatcher);
        var stage = correlator.request(bus, "slow", 1, LONG);

        correlator.failAll("the request/reply service stopped");

        assertThatThrownBy(() -> await(stage)).cause().isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("stopped").hasMessageContaining("'slow'");
        assertThat(correlator.pending()).isZero();
    }

    @Test
    void shouldFailAtOnceWithoutABus() {
        var stage = correlator.request(null, "any", 1, LONG);

        assertThatThrownBy(() -> await(stage)).cause().isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("'any'");
    }

    @Test
    void shouldRefuseATimeoutThatIsNotPositive() {
        FakeBus bus = new FakeBus(dispatcher);
        assertThatThrownBy(() -> correlator.request(bus, "any", 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
    }
}
