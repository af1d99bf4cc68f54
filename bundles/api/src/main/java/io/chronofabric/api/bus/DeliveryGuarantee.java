package io.chronofabric.api.bus;

/** What the bus promises when a subscriber's queue is full. */
public enum DeliveryGuarantee {
    /** Dropped for that subscriber and counted; the publisher never waits. */
    BEST_EFFORT,
    /**
     * Retried until queued or until retries or timeout run out; then the publisher is told and
     * the packet goes to the dead-letter channel. Never silently lost.
     */
    GUARANTEED
}
