package io.chronofabric.api.patterns;

import io.chronofabric.api.bus.PhasePacket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Request/reply over the bus: publish a request on a channel and get the first reply as a
 * {@link CompletionStage}.
 *
 * <p><b>Correlation.</b> The request is published on {@code channel} with {@code payload}
 * unchanged and gets a fresh message id; the first packet on {@link #REPLY_CHANNEL} whose first
 * causal dependency is that id completes the stage (later ones are ignored and counted). See the
 * package documentation for the wire convention.
 *
 * <p><b>Failures</b> (the stage completes exceptionally, never throws from {@code request} except
 * for bad arguments):
 * <ul>
 * <li>{@link RequestTimeoutException} naming the channel and the timeout when no reply came in time
 *     (in particular when nobody answers the channel);</li>
 * <li>{@link RequestFailedException} when the responder threw (its reply is a {@link ResponderFailure});</li>
 * <li>{@link ClassCastException} naming both types when a typed request got another payload type;</li>
 * <li>the bus's own exception when the request could not be published (closed bus, full queue of a
 *     guaranteed packet), and {@link io.chronofabric.api.core.ServiceUnavailableException} when
 *     the service stops with requests pending.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Thread-safe. Stages complete on a bus dispatcher thread (reply) or on the
 * service's timer thread (timeout): attach heavy work with an {@code *Async} method.
 */
@ProviderType
public interface RequestReply {

    /** The channel replies travel on. */
    String REPLY_CHANNEL = "chronofabric.reply";

    /**
     * Publishes {@code payload} on {@code channel} and waits up to {@code timeout} for the reply.
     *
     * @param channel a valid channel name (see {@link io.chronofabric.api.bus.Channels})
     * @param payload not null
     * @param timeout positive
     * @param <R> the reply payload type the caller expects (not checked; see the typed overload)
     * @throws IllegalArgumentException bad channel name or a timeout that is not positive
     * @throws NullPointerException null argument
     */
    <R> CompletionStage<PhasePacket<R>> request(String channel, Object payload, Duration timeout);

    /**
     * As {@link #request(String, Object, Duration)}, failing the stage with a
     * {@link ClassCastException} naming both types when the reply payload is not a {@code replyType}.
     */
    <R> CompletionStage<PhasePacket<R>> request(String channel, Object payload, Class<R> replyType, Duration timeout);

    /** Requests published and not yet answered, failed or timed out. */
    int pending();
}
