package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.TraceContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TracingTest extends BusTestSupport {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final List<Span> spans = new CopyOnWriteArrayList<>();

    @Test
    void shouldRecordPublishDeliverAndHandlerSpansUnderTheCallersParent() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        bus.setSpanSinks(List.of(spans::add));
        bus.addHandler((PacketHandler<String>) p -> { }, String.class, "traced", -1, "test", false);

        bus.publish(PhasePacket.builder("x").channel("traced").traceparent(PARENT).build());
        await(() -> spans.size() == 3, "three spans");

        Span publish = named("publish");
        Span deliver = named("deliver");
        Span handler = named("handler");
        assertThat(List.of(publish, deliver, handler)).allSatisfy(s -> {
            assertThat(s.trace().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(s.channel()).isEqualTo("traced");
            assertThat(s.messageId()).isEqualTo(publish.messageId());
        });
        assertThat(publish.parentIdHex()).isEqualTo("00f067aa0ba902b7");
        assertThat(deliver.parentSpanId()).isEqualTo(publish.spanId());
        assertThat(handler.parentSpanId()).isEqualTo(deliver.spanId());
        assertThat(handler.startNanos()).isEqualTo(deliver.endNanos());
        assertThat(deliver.subscription()).isNotNull().isEqualTo(handler.subscription());
        assertThat(handler.error()).isNull();
    }

    @Test
    void shouldSampleUntracedPacketsAtTheConfiguredRatioAsRoots() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        bus.setSpanSinks(List.of(spans::add));
        bus.addHandler((PacketHandler<String>) p -> { }, String.class, "sampled", -1, "test", true);

        bus.publish(PhasePacket.builder("none").channel("sampled").build());
        assertThat(spans).as("ratio 0: only packets that carry a context are traced").isEmpty();

        bus.setTraceSampleRatio(1.0);
        PhasePacket<String> p = PhasePacket.builder("all").channel("sampled").build();
        bus.publish(p);
        assertThat(p.trace()).isNotNull();
        assertThat(spans).extracting(Span::name).containsExactlyInAnyOrder("publish", "deliver", "handler");
        assertThat(named("publish").isRoot()).isTrue();
        assertThat(named("publish").spanId()).as("the packet's context names its publish span").isEqualTo(p.trace().spanId());
        assertThatThrownBy(() -> bus.setTraceSampleRatio(1.5)).hasMessageContaining("trace.sample.ratio must be in [0, 1], got 1.5");
    }

    @Test
    void shouldRootANewTraceTheCallerAskedForAtItsPublishSpan() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        bus.setSpanSinks(List.of(spans::add));
        bus.addHandler((PacketHandler<String>) p -> { }, String.class, "asked", -1, "test", true);

        PhasePacket<String> p = PhasePacket.builder("x").channel("asked").newTrace().build();
        bus.publish(p);

        assertThat(p.trace()).as("attached at publish, ratio 0 notwithstanding").isNotNull();
        assertThat(named("publish").isRoot()).isTrue();
        assertThat(named("deliver").parentSpanId()).isEqualTo(named("publish").spanId());
    }

    @Test
    void shouldRecordNothingForAnUnsampledContextOrWithoutASink() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        bus.addHandler((PacketHandler<String>) p -> { }, String.class, "quiet", -1, "test", true);
        bus.setTraceSampleRatio(1.0);

        PhasePacket<String> noSink = PhasePacket.builder("a").channel("quiet").build();
        bus.publish(noSink);
        assertThat(noSink.trace()).as("no sink: nothing sampled").isNull();

        bus.setSpanSinks(List.of(spans::add));
        bus.publish(PhasePacket.builder("b").channel("quiet")
                .trace(TraceContext.parse(PARENT.substring(0, PARENT.length() - 2) + "00")).build());
        assertThat(spans).isEmpty();
    }

    @Test
    void shouldNameTheHandlersFailureInItsSpan() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        bus.setSpanSinks(List.of(spans::add));
        bus.addHandler((PacketHandler<String>) p -> {
            throw new IllegalStateException("boom");
        }, String.class, "failing", -1, "test", false);

        bus.publish(PhasePacket.builder("x").channel("failing").traceparent(PARENT).build());
        await(() -> spans.size() == 3, "three spans");
        assertThat(named("handler").error()).isEqualTo("java.lang.IllegalStateException: boom");
    }

    private Span named(String name) {
        return spans.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name
                + " span in " + spans));
    }
}
