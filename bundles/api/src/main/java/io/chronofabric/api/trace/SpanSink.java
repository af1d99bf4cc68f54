package io.chronofabric.api.trace;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the spans of traced packets, as an OSGi service. Called on bus threads (publishers and
 * dispatchers) right after the step: it must return quickly, take no lock a handler may hold and
 * never block; an exception it throws is ignored by the caller.
 */
@ConsumerType
public interface SpanSink {

    void record(Span span);
}
