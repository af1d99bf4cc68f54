package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;

/**
 * Where the bus puts a packet it could not deliver: the durable dead-letter log. Called from
 * publisher and dispatcher threads, never on the success path.
 */
interface DeadLetterSink {

    /** Returned by {@link #record} when the packet could not be written. */
    long NOT_RECORDED = -1;

    /**
     * Records the packet durably (written to the log file before this returns; fsync follows the
     * log's policy). Never throws.
     *
     * @param packet     the stamped packet, unchanged
     * @param reason     why it was not delivered, e.g. "retries exhausted for sub-3 (queue full)"
     * @param subscriber the subscription that did not get it, or null
     * @param cause      a handler's or filter's exception, or null
     * @return the entry's sequence number in the log, or {@link #NOT_RECORDED}
     */
    long record(PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause);
}
