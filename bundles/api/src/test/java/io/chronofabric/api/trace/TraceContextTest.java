package io.chronofabric.api.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.PhasePacket;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    // the example of the W3C Trace Context recommendation, section 3.2.2.7
    private static final String EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void shouldParseAndWriteTheSpecificationsExample() {
        TraceContext t = TraceContext.parse(EXAMPLE);

        assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(t.spanIdHex()).isEqualTo("00f067aa0ba902b7");
        assertThat(t.sampled()).isTrue();
        assertThat(t.traceparent()).isEqualTo(EXAMPLE);
        assertThat(TraceContext.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-00").sampled()).isFalse();
    }

    @Test
    void shouldNameWhatIsWrongWithABadValue() {
        assertThatThrownBy(() -> TraceContext.parse("00-abc")).hasMessageContaining("needs 4 fields");
        assertThatThrownBy(() -> TraceContext.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .hasMessageContaining("version ff is invalid");
        assertThatThrownBy(() -> TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"))
                .hasMessageContaining("trace id must be 32 hex digits");
        assertThatThrownBy(() -> TraceContext.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .hasMessageContaining("trace id is all zero");
        assertThatThrownBy(() -> TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
                .hasMessageContaining("parent id is all zero");
        assertThatThrownBy(() -> TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba9g2b7-01"))
                .hasMessageContaining("parent id must be 16 hex digits");
        assertThatThrownBy(() -> TraceContext.parse(EXAMPLE + "-extra")).hasMessageContaining("exactly 4 fields");
    }

    @Test
    void shouldReadALaterVersionByItsFirstFourFields() {
        TraceContext t = TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future");
        assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void shouldKeepTheTraceWhenMovingToAChildSpan() {
        TraceContext root = TraceContext.newRoot();
        TraceContext child = root.withSpan(42);

        assertThat(child.traceId()).isEqualTo(root.traceId());
        assertThat(child.spanId()).isEqualTo(42);
        assertThat(root.sampled()).isTrue();
    }

    @Test
    void shouldCarryATraceparentOnAPacket() {
        PhasePacket<String> p = PhasePacket.builder("x").channel("c").traceparent(EXAMPLE).build();
        assertThat(p.trace()).isEqualTo(TraceContext.parse(EXAMPLE));
        assertThat(PhasePacket.builder("y").build().trace()).isNull();
        assertThatThrownBy(() -> p.attachTrace(new Object(), TraceContext.newRoot())).isInstanceOf(IllegalStateException.class);
    }
}
