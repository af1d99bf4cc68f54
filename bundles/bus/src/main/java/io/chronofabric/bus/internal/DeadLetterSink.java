package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;

/**
 * Where the bus puts a packet it could not deliver: the durable dead-letter log. Called from
 * publisher and dispatcher threads, never on the success path.
 */
interface DeadLetterSink {

    /** Returned by {@link #record} when the packet could not be written (the packet is lost). */
    long NOT_RECORDED = -1;

    /**
     * Returned by {@link #record} when the log was already closed (its component deactivated,
     * e.g. during an update of this bundle while a bus of the old revision still runs): the
     * packet is written durably (forced to disk) to a side file in the log's directory and not
     * lost; it gets its sequence when a live log imports the file (within about a second while
     * one is open, else at the next start). Not a sequence: there is no entry to look up yet.
     */
    long RECORDED_LATE = -2;

    /**
     * Records the packet durably (written to the log file before this returns; fsync follows the
     * log's policy). Never throws.
     *
     * @param packet     the stamped packet, unchanged
     * @param reason     why it was not delivered, e.g. "retries exhausted for sub-3 (queue full)"
     * @param subscriber the subscription that did not get it, or null
     * @param cause      a handler's or filter's exception, or null
     * @return the entry's sequence number in the log (0 or more), {@link #RECORDED_LATE}, or
     *         {@link #NOT_RECORDED}
     */
    long record(PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause);
}
