/**
 * Traces: the W3C Trace Context ({@code traceparent}) a packet carries, the spans the fabric
 * records for it (publish, deliver, handler), and the bounded store that keeps them.
 *
 * <p>A packet carries a {@link io.chronofabric.api.trace.TraceContext} when its publisher gave
 * one ({@code PhasePacket.Builder.traceparent}) or the bus sampled it. The bus then reports spans
 * to every {@link io.chronofabric.api.trace.SpanSink} service; with no context on a packet, or no
 * sink registered, tracing costs one null check per delivery.
 */
@Export
@Version("1.0.0")
package io.chronofabric.api.trace;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
