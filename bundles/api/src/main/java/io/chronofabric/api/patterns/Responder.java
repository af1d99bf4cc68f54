package io.chronofabric.api.patterns;

import io.chronofabric.api.bus.PhasePacket;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A whiteboard responder: register an implementation as an OSGi service (a DS component is
 * enough) with the service property {@value #CHANNEL}, and the request/reply service subscribes it
 * to that channel. The value {@link #respond} returns is published as the reply (see
 * {@link RequestReply}); it is subscribed again whenever the bus restarts.
 *
 * <ul>
 * <li>a non-null return value is the reply payload;</li>
 * <li>{@code null} means "no reply from me" (another responder may answer, or the requester times out);</li>
 * <li>an exception is answered with a {@link ResponderFailure} naming the channel and the error,
 *     so the requester fails at once with {@link RequestFailedException} rather than timing out;</li>
 * <li>a {@link java.util.concurrent.CompletionStage} (since 1.2) is an <em>asynchronous</em> answer,
 *     not a payload: the reply is published when the stage completes, with its value as the reply
 *     payload ({@code null}: no reply), and a stage completed exceptionally is answered with a
 *     {@link ResponderFailure} as above. Declare {@code R} as {@code CompletionStage<X>}; the
 *     requester asks for {@code X}. A stage that never completes gives no reply (the requester
 *     times out).</li>
 * </ul>
 *
 * <p><b>Threads.</b> Called from a bus dispatcher thread, never concurrently for one responder
 * registration; it should return quickly: work that takes long (I/O, a computation, another
 * request) belongs in a stage completed elsewhere.
 *
 * @param <Q> request payload type (the service property {@value #TYPE}, default {@code java.lang.Object})
 * @param <R> reply payload type
 */
@ConsumerType
public interface Responder<Q, R> {

    /** Service property (String): the channel this responder answers. Required. */
    String CHANNEL = "chronofabric.responder.channel";

    /**
     * Service property (String, optional): fully qualified request payload class, loaded through
     * the responder's bundle; requests of another type are not given to it.
     */
    String TYPE = "chronofabric.responder.type";

    /** Answers one request. */
    R respond(PhasePacket<Q> request) throws Exception;
}
