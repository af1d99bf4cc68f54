package io.chronofabric.api.bus;

import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.TemporalViolationException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Publishing side of the bus.
 *
 * <p><b>Contract.</b> Every published packet is stamped with a fresh message id and an HLC
 * timestamp from the {@code HlcClock} service, then routed: to the subscribers of its channel
 * if it has one, else to the subscribers of its payload type; in both cases only to
 * subscribers selected by its target mask. Packets of one publisher thread with equal priority
 * reach every subscriber in publish order. Thread-safe; the publish path takes no lock.
 * Packet arguments must not be null ({@link NullPointerException}).
 */
@ProviderType
public interface EventBusTx {

    /**
     * Publishes a packet. Best-effort packets never block: a full subscriber queue drops that
     * delivery and counts it. Guaranteed packets wait (retrying up to the packet's retries,
     * within its timeout) for room in every matching queue.
     *
     * @return the message id value given to the packet
     * @throws DeliveryFailedException guaranteed packet whose retries or timeout ran out at
     *         some subscriber; the packet has been dead-lettered for that subscriber
     * @throws TemporalViolationException its deadline had already passed
     * @throws ResourceExhaustedException the bus is closed
     * @throws IllegalStateException the packet was already published
     */
    long publish(PhasePacket<?> packet);

    /**
     * Publishes packets in order, stopping at the first that throws (the earlier ones stay
     * published).
     *
     * @return the message ids, in order
     */
    long[] publishBatch(List<? extends PhasePacket<?>> packets);

    /**
     * Never blocks: reports a full queue, an expired deadline or a closed bus as a status.
     * Guaranteed packets that cannot be queued at once are neither retried nor dead-lettered
     * by this call; the caller decides.
     */
    PublishStatus tryPublish(PhasePacket<?> packet);

    /**
     * Publishes with an absolute deadline (time-source nanoseconds) that overrides the
     * packet's own.
     *
     * @throws IllegalArgumentException if {@code deadlineNanos} is negative
     * @see #publish(PhasePacket)
     */
    long publishWithDeadline(PhasePacket<?> packet, long deadlineNanos);

    /** Subscribers that a packet of this type without channel would reach (all targets). */
    int subscriberCount(Class<?> type);

    /** Subscribers of this channel. */
    int subscriberCount(String channel);

    BusStats stats();

    /** Whether every health target is met; see {@link EventBus#healthCheck()}. */
    boolean isHealthy();
}
