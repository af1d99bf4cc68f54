package io.chronofabric.network.internal;

import io.chronofabric.api.core.LogicalTime;
import java.util.Objects;

/**
 * A bus packet as it crosses nodes.
 *
 * @param origin        the sending node's id
 * @param channel       the bus channel
 * @param payload       the payload (encoded by its codec)
 * @param messageId     the message id the origin's bus gave it
 * @param priority      the priority's ordinal
 * @param deadlineNanos absolute deadline (time-source ns), or Long.MAX_VALUE
 * @param targetMask    the routing target mask
 * @param timestamp     the origin's HLC timestamp
 * @param guaranteed    acknowledged and retransmitted until the unreachable bound
 */
public record WirePacket(int origin, String channel, Object payload, long messageId, int priority, long deadlineNanos,
        long targetMask, LogicalTime timestamp, boolean guaranteed) {

    public WirePacket {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
