package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.TraceContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceCommandTest {

    @Test
    void shouldRenderChildrenUnderTheirParentsWithOffsets() {
        TraceContext t = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        List<Span> spans = List.of(
                new Span(t, 1, 0x00f067aa0ba902b7L, "publish", "c", null, 5, 1_000, 2_000, null),
                new Span(t, 2, 1, "deliver", "c", "sub-1", 5, 1_000, 5_000, null),
                new Span(t, 3, 2, "handler", "c", "sub-1", 5, 6_000, 1_000, "java.lang.IllegalStateException: boom"));

        List<String> lines = TraceCommand.render(spans);

        assertThat(lines.get(0)).isEqualTo("trace 4bf92f3577b34da6a3ce929d0e0e4736: 3 span(s)");
        assertThat(lines.get(1)).startsWith("  publish 0000000000000001 (parent 00f067aa0ba902b7)");
        assertThat(lines.get(2)).startsWith("    deliver 0000000000000002");
        assertThat(lines.get(3)).startsWith("      handler 0000000000000003").contains("ERROR java.lang.IllegalStateException: boom");
    }
}
