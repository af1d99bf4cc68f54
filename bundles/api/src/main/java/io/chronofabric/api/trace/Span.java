package io.chronofabric.api.trace;

import java.util.Objects;

/**
 * One timed step of a traced packet.
 *
 * @param trace the trace this span belongs to (its trace id and flags; its span id is the context
 *        the packet carried, not necessarily this span's parent)
 * @param spanId this span's id, never 0
 * @param parentSpanId the parent span's id, 0 for the root of a trace
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
public record Span(TraceContext trace, long spanId, long parentSpanId, String name, String channel, String subscription, long messageId,
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

    /** The parent span's id as 16 hex digits, or null for a root span. */
    public String parentIdHex() {
        return parentSpanId == 0 ? null : TraceContext.hex16(parentSpanId);
    }

    public boolean isRoot() {
        return parentSpanId == 0;
    }

    /** When the step ended, on the recording bus's time source. */
    public long endNanos() {
        return startNanos + durationNanos;
    }

    public String spanIdHex() {
        return TraceContext.hex16(spanId);
    }
}
