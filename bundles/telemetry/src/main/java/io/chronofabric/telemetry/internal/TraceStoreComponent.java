package io.chronofabric.telemetry.internal;

import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.SpanSink;
import io.chronofabric.api.trace.TraceStore;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest spans of traced packets in memory (a {@link SpanSink} for the bus and a
 * {@link TraceStore} for {@code csf:trace} and the dashboard). A capacity change starts a new,
 * empty buffer.
 */
@Component(name = TraceStoreComponent.PID, configurationPid = TraceStoreComponent.PID, immediate = true,
        service = {SpanSink.class, TraceStore.class})
@Designate(ocd = TraceStoreComponent.Config.class)
public final class TraceStoreComponent implements SpanSink, TraceStore {

    static final String PID = "io.chronofabric.telemetry.traces";
    private static final Logger LOG = LoggerFactory.getLogger(TraceStoreComponent.class);

    @ObjectClassDefinition(name = "ChronoFabric trace store", description = "The in-memory buffer of spans of traced packets")
    public @interface Config {
        @AttributeDefinition(description = "Spans kept (the oldest are overwritten), 100..1000000")
        int buffer_spans() default 10_000;
    }

    private volatile TraceBuffer buffer = new TraceBuffer(10_000);

    @Activate
    @Modified
    void configure(Config config) {
        int n = config.buffer_spans();
        if (n < 100 || n > 1_000_000) {
            throw new IllegalArgumentException(PID + " buffer.spans must be 100..1000000, got " + n);
        }
        if (n != buffer.capacity()) {
            buffer = new TraceBuffer(n);
        }
        LOG.info("Trace store keeps the latest {} spans (bus: trace.sample.ratio in io.chronofabric.bus)", n);
    }

    @Override
    public void record(Span span) {
        buffer.record(span);
    }

    @Override
    public List<Span> trace(String traceId) {
        return buffer.trace(traceId);
    }

    @Override
    public List<TraceSummary> recent(int max) {
        return buffer.recent(max);
    }

    @Override
    public long recorded() {
        return buffer.recorded();
    }

    @Override
    public int capacity() {
        return buffer.capacity();
    }
}
