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
 * </ul>
 * Use {@link PacketSubscription} on a DS component to set them with type checking.
 *
 * <p><b>Threads.</b> The bus calls {@link #onPacket} from its dispatcher threads, never
 * concurrently for one handler registration, in priority then per-publisher FIFO order.
 * A handler that throws never stops delivery to others: the bus counts it, logs it (rate
 * limited) and sends the packet to {@link Channels#DEAD_LETTER}.
 *
 * @param <T> payload type
 */
@ConsumerType
public interface PacketHandler<T> {

    String TYPE = "chronofabric.bus.type";
    String CHANNEL = "chronofabric.bus.channel";
    String COMPONENT_ID = "chronofabric.bus.component.id";

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
