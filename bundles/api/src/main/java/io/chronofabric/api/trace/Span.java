package io.chronofabric.api.trace;

import java.util.Objects;

/**
 * One timed step of a traced packet.
 *
 * @param trace the trace and this span's parent ({@code trace.spanId()} is the parent's id)
 * @param spanId this span's id, never 0
 * @param name {@code publish} (the publisher's call: stamping and routing), {@code deliver}
 *        (waiting in a subscription's queue) or {@code handler} (the handler's call); other
 *        recorders may use other names
 * @param channel the packet's channel, or null for typed routing
 * @param subscription the subscription delivered to, or null for a publish span
 * @param messageId the packet's message id
 * @param startNanos when the step began, on the recording bus's time source
 * @param durationNanos how long it took, at least 0
 * @param error what went wrong (a handler's exception), or null
 */
public record Span(TraceContext trace, long spanId, String name, String channel, String subscription, long messageId,
        long startNanos, long durationNanos, String error) {

    public Span {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(name, "name");
        if (spanId == 0) {
            throw new IllegalArgumentException("A span id must not be zero");
        }
        if (durationNanos < 0) {
            throw new IllegalArgumentException("Span " + name + " has a negative duration " + durationNanos + " ns");
        }
    }

    /** The parent span's id as 16 hex digits. */
    public String parentIdHex() {
        return trace.spanIdHex();
    }

    public String spanIdHex() {
        return TraceContext.hex16(spanId);
    }
}
