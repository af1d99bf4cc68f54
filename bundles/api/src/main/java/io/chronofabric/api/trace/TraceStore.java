package io.chronofabric.api.trace;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The spans recorded lately, kept in a bounded buffer (the oldest go first). Thread-safe. */
@ProviderType
public interface TraceStore {

    /** A trace's spans still in the buffer, in start order; empty when none (or evicted). */
    List<Span> trace(String traceId);

    /** The latest traces, newest first, at most {@code max}. */
    List<TraceSummary> recent(int max);

    /** Spans recorded since start. */
    long recorded();

    /** Capacity of the buffer in spans. */
    int capacity();

    /**
     * One trace at a glance.
     *
     * @param traceId 32 hex digits
     * @param spans spans in the buffer
     * @param firstStartNanos start of its earliest span
     * @param lastEndNanos end of its latest span
     * @param channels the channels it touched, comma separated
     * @param errors spans with an error
     */
    record TraceSummary(String traceId, int spans, long firstStartNanos, long lastEndNanos, String channels, int errors) {
    }
}
