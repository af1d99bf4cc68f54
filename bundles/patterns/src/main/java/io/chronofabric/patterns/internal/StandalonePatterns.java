package io.chronofabric.patterns.internal;

import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.Responder;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Request/reply outside OSGi, for the tests of bundles that need the real one (the network
 * bundle's request/reply across nodes). In this bundle's private package: not exported.
 */
public final class StandalonePatterns {

    private StandalonePatterns() {
    }

    /** A requester: subscribe {@link #replies()} to {@link RequestReply#REPLY_CHANNEL} of {@code bus}. */
    public static final class Requester implements RequestReply {
        private final RequestCorrelator correlator;
        private final EventBusTx bus;

        Requester(EventBusTx bus, ScheduledExecutorService timer) {
            this.bus = bus;
            this.correlator = new RequestCorrelator(timer, 10_000);
        }

        @Override
        public <R> CompletionStage<PhasePacket<R>> request(String channel, Object payload, Duration timeout) {
            return correlator.request(bus, channel, payload, timeout);
        }

        @Override
        public <R> CompletionStage<PhasePacket<R>> request(String channel, Object payload, Class<R> replyType, Duration timeout) {
            return correlator.request(bus, channel, payload, replyType, timeout);
        }

        @Override
        public int pending() {
            return correlator.pending();
        }

        /** Replies that matched no pending request here (e.g. another node's). */
        public long unmatched() {
            return correlator.unmatched();
        }

        /** The handler to subscribe to the reply channel. */
        public PacketHandler<Object> replies() {
            return correlator::onReply;
        }
    }

    public static Requester requester(EventBusTx bus, ScheduledExecutorService timer) {
        return new Requester(bus, timer);
    }

    /** The handler that answers requests on {@code channel} with {@code responder}, publishing replies on {@code bus}. */
    public static PacketHandler<Object> responder(Responder<?, ?> responder, String channel, EventBusTx bus) {
        return new ResponderHandler(responder, channel, null, () -> bus);
    }
}
