package io.chronofabric.api.bus;

import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.Priority;
import java.util.Objects;

/**
 * One entry of the {@link DeadLetterLog}: what was known about a packet that the bus could not
 * deliver, and what has been done with it since. An immutable snapshot; a later replay is seen
 * in a fresh {@link DeadLetterLog#get} only.
 *
 * @param sequence            the entry's number in the log: increasing, never reused, also across
 *                            restarts of the log
 * @param messageIdValue      the packet's message id value, or {@link PhasePacket#UNSTAMPED} when
 *                            the bus refused the packet before stamping it
 * @param channel             the packet's channel, or null for a typed-routing packet
 * @param payloadType         the payload's class name; not null
 * @param payloadText         the payload as text ({@code toString()}, at most 4096 characters);
 *                            not null
 * @param source              the publishing component; not null
 * @param priority            the packet's priority; not null
 * @param delivery            the packet's delivery guarantee, retries and timeout; not null
 * @param targetMask          the packet's target mask
 * @param reason              why it was not delivered, e.g. "retries exhausted for sub-3
 *                            (queue full)"; not null
 * @param subscription        the subscription that did not get it (its text, e.g. {@code sub-3}),
 *                            or null when it concerns no single subscription
 * @param cause               the text of the exception behind it (class and message), or null
 * @param timestamp           the packet's HLC timestamp, or null when it was never stamped
 * @param recordedAtNanos     time-source nanoseconds since the epoch when the entry was recorded
 * @param replayable          whether {@link DeadLetterLog#replay} can republish it now
 * @param notReplayableReason why not (e.g. "payload com.acme.Order is not Serializable and its
 *                            object is no longer in memory"), or null when replayable
 * @param replayCount         how many times it was replayed, 0 if never
 * @param replayedAtNanos     time-source nanoseconds of the latest replay, 0 if never
 * @param replayedAs          the message id the latest replay published, or null if never
 */
public record DeadLetterEntry(long sequence, long messageIdValue, String channel, String payloadType, String payloadText,
        ComponentId source, Priority priority, DeliveryOptions delivery, long targetMask, String reason,
        String subscription, String cause, LogicalTime timestamp, long recordedAtNanos, boolean replayable,
        String notReplayableReason, int replayCount, long replayedAtNanos, MessageId replayedAs) {

    /**
     * @throws NullPointerException if a component documented as not null is null
     */
    public DeadLetterEntry {
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(payloadText, "payloadText");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(reason, "reason");
    }

    /** The packet's message id, or null when it was never stamped. */
    public MessageId messageId() {
        return messageIdValue == PhasePacket.UNSTAMPED ? null : new MessageId(messageIdValue);
    }

    /** Whether the entry was replayed at least once. */
    public boolean isReplayed() {
        return replayCount > 0;
    }

    /** Whether the packet used typed routing (no channel). */
    public boolean isTyped() {
        return channel == null;
    }
}
