package io.chronofabric.api.bus;

import java.util.Objects;

/**
 * Payload of packets on {@link Channels#DEAD_LETTER}: a packet that could not be delivered.
 *
 * @param packet     the original packet, unchanged
 * @param reason     why, e.g. "retries exhausted for sub-3 (queue full)"
 * @param subscriber the subscription that did not receive it, or null
 * @param cause      the handler's exception, or null
 */
public record DeadLetter(PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause) {

    public DeadLetter {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(reason, "reason");
    }
}
