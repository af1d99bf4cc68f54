package io.chronofabric.api.bus;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A whiteboard subscriber: register an implementation as an OSGi service (a DS component is
 * enough) with the service properties below, and every bus implementation present subscribes
 * it, and subscribes it again when the bus is stopped, replaced or restarted.
 *
 * <p>Service properties:
 * <ul>
 * <li>{@value #TYPE} (String): fully qualified payload class name; default {@code java.lang.Object}.
 *     The class is loaded through the handler's bundle.</li>
 * <li>{@value #CHANNEL} (String): channel name; absent for typed routing.</li>
 * <li>{@value #COMPONENT_ID} (Integer 0..63): the component id matched against target masks.</li>
 * <li>{@value #DELIVERY} (String, since 1.1): {@value #DELIVERY_QUEUED} (the default) or
 *     {@value #DELIVERY_SAME_THREAD}, see below.</li>
 * </ul>
 * Use {@link PacketSubscription} on a DS component to set them with type checking.
 *
 * <p><b>Threads.</b> The bus calls {@link #onPacket} from its dispatcher threads, never
 * concurrently for one handler registration, in priority then per-publisher FIFO order.
 * A handler that throws never stops delivery to others: the bus counts it, logs it (rate
 * limited) and sends the packet to {@link Channels#DEAD_LETTER}.
 *
 * <p><b>Same-thread delivery</b> ({@value #DELIVERY}={@value #DELIVERY_SAME_THREAD}, since 1.1): the
 * handler is called on the publisher's thread, inside {@code publish}, before it returns: no queue,
 * no dispatcher, no wake-up (like Event Admin's {@code sendEvent} with no timeout, without Event
 * objects or property maps; routing is the bus's usual precomputed type/channel/target-mask match).
 * What the bus then guarantees, and what it does not:
 * <ul>
 * <li>The handler may be called <em>concurrently</em>, once per publishing thread: it must be
 *     thread-safe. Each publisher's packets arrive in its publish order; priorities do not reorder
 *     anything (there is no queue).</li>
 * <li>The publisher pays for the call: a slow handler slows every publisher of its channel or type.
 *     A handler may publish (the call nests); it should not block.</li>
 * <li>A handler that throws is counted, logged (rate limited) and its packet dead-lettered, exactly
 *     as on a dispatcher; {@code publish} does not throw for it.</li>
 * <li>{@link #accepts} is checked first, as for queued handlers. Deadlines are checked at publish.
 *     A packet held for its causal dependencies is delivered, when they are done, on the thread
 *     that releases it (the bus's own).</li>
 * <li>Close: once the handler is unregistered (or the bus stops), no new call starts; the
 *     unsubscription waits for calls in progress, so the handler is never called after it
 *     returns (a handler that unregisters itself from inside its own call waits up to the bus's
 *     shutdown timeout for that call). A packet that reaches a closed handler is dead-lettered
 *     when guaranteed and counted as dropped otherwise; nothing accepted is lost silently.</li>
 * </ul>
 *
 * @param <T> payload type
 */
@ConsumerType
public interface PacketHandler<T> {

    String TYPE = "chronofabric.bus.type";
    String CHANNEL = "chronofabric.bus.channel";
    String COMPONENT_ID = "chronofabric.bus.component.id";
    /** Service property: how the handler is called, {@value #DELIVERY_QUEUED} or {@value #DELIVERY_SAME_THREAD}. @since 1.1 */
    String DELIVERY = "chronofabric.bus.delivery";
    /** {@value #DELIVERY} value: queued and called by a bus dispatcher thread (the default). @since 1.1 */
    String DELIVERY_QUEUED = "queued";
    /** {@value #DELIVERY} value: called on the publisher's thread inside {@code publish}. @since 1.1 */
    String DELIVERY_SAME_THREAD = "same-thread";

    /** Handles one packet. Should return quickly; it runs on a bus dispatcher thread. */
    void onPacket(PhasePacket<T> packet) throws Exception;

    /**
     * Extra filter evaluated before queuing; the default accepts every packet. It runs on the
     * <em>publisher's</em> thread, possibly on several publisher threads at once, before the packet
     * is queued: it must be thread-safe, quick and free of blocking. An exception it throws counts
     * as a failed delivery to this handler (dead-lettered when the packet is guaranteed).
     */
    default boolean accepts(PhasePacket<T> packet) {
        return true;
    }
}
