package io.chronofabric.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.TraceContext;
import io.chronofabric.api.trace.TraceStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceBufferTest {

    private static final TraceContext A = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    private static final TraceContext B = TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    @Test
    void shouldReturnATracesSpansInStartOrder() {
        TraceBuffer b = new TraceBuffer(100);
        b.record(span(A, 3, "handler", 30, null));
        b.record(span(B, 9, "publish", 5, null));
        b.record(span(A, 1, "publish", 10, null));
        b.record(span(A, 2, "deliver", 10, null));

        assertThat(b.trace(A.traceId())).extracting(Span::name).containsExactly("publish", "deliver", "handler");
        assertThat(b.trace(A.traceparent())).as("a whole traceparent names its trace").hasSize(3);
        assertThat(b.trace("00000000000000000000000000000001")).isEmpty();
        assertThatThrownBy(() -> b.trace("xyz")).hasMessageContaining("32 hex digits");
    }

    @Test
    void shouldOverwriteTheOldestAndSummariseTheNewestTracesFirst() {
        TraceBuffer b = new TraceBuffer(3);
        b.record(span(A, 1, "publish", 10, null));
        b.record(span(B, 2, "publish", 20, null));
        b.record(span(B, 3, "handler", 25, "java.lang.IllegalStateException: boom"));
        b.record(span(B, 4, "deliver", 21, null)); // overwrites A's only span

        List<TraceStore.TraceSummary> recent = b.recent(10);
        assertThat(recent).singleElement().satisfies(s -> {
            assertThat(s.traceId()).isEqualTo(B.traceId());
            assertThat(s.spans()).isEqualTo(3);
            assertThat(s.errors()).isEqualTo(1);
            assertThat(s.firstStartNanos()).isEqualTo(20);
            assertThat(s.channels()).isEqualTo("c");
        });
        assertThat(b.recorded()).isEqualTo(4);
        assertThat(b.trace(A.traceId())).isEmpty();
    }

    private static Span span(TraceContext t, long id, String name, long start, String error) {
        return new Span(t, id, 0, name, "c", null, 7, start, 1, error);
    }
}
