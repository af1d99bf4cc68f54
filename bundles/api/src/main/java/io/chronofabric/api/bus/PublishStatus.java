package io.chronofabric.api.bus;

/** Outcome of {@link EventBusTx#tryPublish}: expected outcomes are values, not exceptions. */
public enum PublishStatus {
    /** Queued for every matching subscriber (possibly none). */
    ACCEPTED,
    /**
     * At least one matching subscriber's queue was full; the packet was not queued there. The
     * subscribers with room have it. The packet has been stamped, so it cannot be published again:
     * to retry, build a new packet (and expect the subscribers that had room to see it twice).
     */
    QUEUE_FULL,
    /** Its deadline had already passed at publish; counted as expired. */
    EXPIRED,
    /** The bus is stopping or stopped. */
    CLOSED,
    /**
     * The packet's channel is over its rate limit ({@link ChannelThrottle}): the packet was not
     * stamped and nothing was queued; the same packet may be published again later. Since 1.3.
     */
    THROTTLED
}
