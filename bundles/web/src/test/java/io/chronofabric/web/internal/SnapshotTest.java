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
}
