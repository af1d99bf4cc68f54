package io.chronofabric.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.BusHealth;
import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.scheduler.TimeOracle;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    @Test
    void shouldWriteBusFiguresAndEscapeChannelNames() {
        BusStats st = new BusStats(10, 9, 1, 0, 0, 0, 0, 2, 1000, 5000, 800, 3000, 4000, 123, 900, 2500, 1_000_000_000L,
                0);
        EventBus bus = Fakes.port(EventBus.class, Map.of(
                "healthCheck", () -> new BusHealth(true, st, List.of(), 0),
                "channels", () -> Set.of("a\"<b>"),
                "channelLinks", Map::of));
        Sources s = new Sources(bus, null, null, null, null, null, null, List.of(), List::of);
        String json = Snapshot.section("bus", s, 10, false);
        assertThat(json).contains("\"published\":10").contains("\"throughputPerSecond\":123")
                .contains("\"p99LatencyNanos\":3000").contains("\"channels\":[\"a\\\"\\u003cb\\u003e\"]");
    }

    @Test
    void shouldReportAFailingPortWithoutLosingTheOthers() {
        TimeOracle oracle = Fakes.port(TimeOracle.class, Map.of("currentHint", () -> {
            throw new IllegalStateException("oracle stopping");
        }));
        Sources s = new Sources(null, null, null, oracle, null, null, null, List.of(),
                () -> List.of(new Sources.PortState("bus", "x", null, null)));
        String json = Snapshot.status(s, 10);
        assertThat(json).contains("\"oracle\":{\"present\":true,\"error\":\"java.lang.IllegalStateException: oracle stopping\"}")
                .contains("\"ports\":[{\"port\":\"bus\",\"provider\":\"x\",\"status\":\"UP\"")
                .contains("\"scheduler\":{\"present\":false}");
    }

    @Test
    void shouldWriteModulesLinksRecentEventsBackendsAndCluster() {
        io.chronofabric.api.clogic.CognitiveModule ems = Fakes.port(io.chronofabric.api.clogic.CognitiveModule.class, Map.of(
                "name", () -> "ems", "algorithm", () -> "GAMYGDALA",
                "health", () -> io.chronofabric.api.core.HealthReport.up("appraising"),
                "state", () -> new io.chronofabric.api.clogic.ModuleState("ems", "appraising", List.of(), 7, 0, 0, 1500, Map.of("joy", 0.8)),
                "inputChannels", () -> Set.of("ems.input"), "outputChannels", () -> Set.of("ems.modulation")));
        io.chronofabric.api.clogic.CognitiveModule broken = Fakes.port(io.chronofabric.api.clogic.CognitiveModule.class, Map.of(
                "name", () -> "drpp", "state", () -> {
                    throw new IllegalStateException("drpp stopping");
                }));
        io.chronofabric.api.clogic.ClogicCoordinator coordinator = Fakes.port(io.chronofabric.api.clogic.ClogicCoordinator.class,
                Map.of("links", () -> List.of(new io.chronofabric.api.clogic.LinkStatus("ems.modulation", "drpp.modulation", true, 3, ""))));
        io.chronofabric.api.compute.HardwareAbstraction compute = Fakes.port(io.chronofabric.api.compute.HardwareAbstraction.class,
                Map.of("backends", () -> List.of(new io.chronofabric.api.compute.BackendStatus(io.chronofabric.api.compute.BackendKind.CUDA,
                        "", false, "no libcuda.so.1", Set.of(), "probe"))));
        RecentEvents events = new RecentEvents(4);
        for (int i = 0; i < 6; i++) {
            events.record("drpp.patterns", i, "pattern-" + i);
        }
        events.record("ems.modulation", 9, "calm");
        Sources s = new Sources(null, null, null, null, null, null, null, List.of(), List::of, coordinator, List.of(ems, broken),
                compute, null, events, null);

        String json = Snapshot.status(s, 10);

        assertThat(json).contains("{\"name\":\"drpp\",\"health\":\"DOWN\",\"error\":\"java.lang.IllegalStateException: drpp stopping\"}")
                .contains("{\"name\":\"ems\",\"algorithm\":\"GAMYGDALA\",\"health\":\"UP\",\"activity\":\"appraising\",\"processed\":7")
                .contains("\"metrics\":{\"joy\":0.8}")
                .contains("{\"from\":\"ems.modulation\",\"to\":\"drpp.modulation\",\"active\":true,\"forwarded\":3")
                // a ring of 4: the two oldest patterns were overwritten, the newest comes first
                .contains("\"drpp.patterns\":[{\"hlcPhysical\":5,\"type\":\"String\",\"text\":\"pattern-5\"}")
                .doesNotContain("pattern-1\"")
                .contains("\"ems.modulation\":[{\"hlcPhysical\":9")
                .contains("{\"kind\":\"CUDA\",\"device\":\"\",\"available\":false,\"reason\":\"no libcuda.so.1\"")
                .contains("\"cluster\":{\"present\":false}");
    }

    @Test
    void shouldListRecentTracesAndATracesSpans() {
        io.chronofabric.api.trace.TraceContext t = io.chronofabric.api.trace.TraceContext.parse(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        io.chronofabric.api.trace.Span span = new io.chronofabric.api.trace.Span(t, 1, 0, "publish", "c", null, 5, 100, 20, null);
        io.chronofabric.api.trace.TraceStore store = Fakes.port(io.chronofabric.api.trace.TraceStore.class, Map.of(
                "recent", () -> List.of(new io.chronofabric.api.trace.TraceStore.TraceSummary(t.traceId(), 1, 100, 120, "c", 0)),
                "trace", () -> List.of(span), "recorded", () -> 1L, "capacity", () -> 10_000));
        Sources s = new Sources(null, null, null, null, null, null, null, List.of(), List::of, null, List.of(), null, null,
                new RecentEvents(1), store);

        assertThat(Snapshot.traces(s, 10, null)).contains("\"recorded\":1").contains("\"capacity\":10000")
                .contains("{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spans\":1,\"durationNanos\":20");
        assertThat(Snapshot.traces(s, 10, t.traceId())).contains("\"spans\":[{\"name\":\"publish\",\"spanId\":\"0000000000000001\","
                + "\"parentId\":null,\"channel\":\"c\"");
        assertThat(Snapshot.traces(Fakes.none(), 10, null)).isEqualTo("{\"present\":false}");
    }
}
