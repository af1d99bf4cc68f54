package io.chronofabric.patterns.internal;

import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.ResponderFailure;
import io.chronofabric.api.patterns.Responder;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes one {@link Responder} to its channel: calls it and publishes its answer on
 * {@link RequestReply#REPLY_CHANNEL} with the request's id as first causal dependency; a responder
 * that throws is answered with a {@link ResponderFailure}. Packets on the channel that are not of the
 * responder's request type are not given to it. Never throws into the bus.
 */
final class ResponderHandler implements PacketHandler<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ResponderHandler.class);

    private final Responder<Object, Object> responder;
    private final String channel;
    private final Class<?> requestType;
    private final Supplier<? extends EventBusTx> bus;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    @SuppressWarnings("unchecked")
    ResponderHandler(Responder<?, ?> responder, String channel, Class<?> requestType, Supplier<? extends EventBusTx> bus) {
        this.responder = (Responder<Object, Object>) responder;
        this.channel = channel;
        this.requestType = requestType;
        this.bus = bus;
    }

    @Override
    public boolean accepts(PhasePacket<Object> packet) {
        return requestType == null || requestType.isInstance(packet.payload());
    }

    @Override
    public void onPacket(PhasePacket<Object> request) {
        Object answer;
        try {
            answer = responder.respond(request);
        } catch (Exception | LinkageError e) {
            answer = failure(request, e);
        }
        if (answer instanceof CompletionStage<?> stage) {
            // an asynchronous responder: the dispatcher thread goes on; the reply is published when the stage completes
            try {
                stage.whenComplete((value, error) -> reply(request, error != null ? failure(request, unwrap(error)) : value));
            } catch (RuntimeException e) {
                reply(request, failure(request, e));
            }
            return;
        }
        reply(request, answer);
    }

    private static Throwable unwrap(Throwable t) {
        return (t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null ? t.getCause() : t;
    }

    private ResponderFailure failure(PhasePacket<Object> request, Throwable e) {
        failed.incrementAndGet();
        LOG.warn("Responder {} on channel {} failed on request {}: {}", responder, channel, request.messageId(), e.toString());
        return new ResponderFailure(channel, String.valueOf(responder), e.getClass().getName() + ": " + e.getMessage());
    }

    private void reply(PhasePacket<Object> request, Object answer) {
        if (answer == null) {
            return;
        }
        EventBusTx tx = bus.get();
        if (tx == null) {
            LOG.warn("No bus to publish the reply of responder {} to request {} on channel {}", responder, request.messageId(), channel);
            return;
        }
        try {
            tx.publish(PhasePacket.builder(answer).channel(RequestReply.REPLY_CHANNEL).dependsOn(request.messageIdValue()).build());
            answered.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warn("Could not publish the reply of responder {} to request {} on channel {}: {}", responder,
                    new MessageId(request.messageIdValue()), channel, e.toString());
        }
    }

    long answered() {
        return answered.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public String toString() {
        return "responder " + responder + " on channel " + channel;
    }
}
