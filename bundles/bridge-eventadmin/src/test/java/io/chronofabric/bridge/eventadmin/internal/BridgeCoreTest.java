package io.chronofabric.bridge.eventadmin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.HlcClock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class BridgeCoreTest {

    private static final LogicalTime TIME = new LogicalTime(1_764_000_000_000_000_000L, 0, 2);

    private final Fakes.Bus bus = new Fakes.Bus();
    private final Fakes.Clock clock = new Fakes.Clock();
    private final Fakes.Admin admin = new Fakes.Admin();
    private volatile EventBus boundBus = bus.service;
    private final HlcClock boundClock = clock.service;
    private final BridgeCore core = new BridgeCore(converter("origin-A"), () -> boundBus, () -> boundClock, () -> admin);

    private static EventConverter converter(String origin) {
        return new EventConverter(origin, "chronofabric", "cf.channel", ComponentId.SYSTEM, DeliveryOptions.BEST_EFFORT);
    }

    private static Event event(String topic, Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Event(topic, props);
    }

    @Test
    void shouldPostAPacketAsAnEvent() {
        PhasePacket<String> p = Fakes.stamped(PhasePacket.builder("v").channel("orders").build(), Fakes.id(0, 5), TIME);

        core.forward(p, "chronofabric/orders");

        assertThat(admin.posted).singleElement().satisfies(e -> {
            assertThat(e.getTopic()).isEqualTo("chronofabric/orders");
            assertThat(e.getProperty("payload")).isEqualTo("v");
        });
        assertThat(core.posted.sum()).isEqualTo(1);
    }

    @Test
    void shouldPublishAnEventAsAPacketAndMergeItsHlcTime() {
        core.receive(event("chronofabric/in/x", "payload", "hi", "cf.hlc", TIME.toString()));

        assertThat(bus.published).singleElement().satisfies(p -> {
            assertThat(p.payload()).isEqualTo("hi");
            assertThat(p.channel()).isEqualTo("in.x");
        });
        assertThat(clock.merged).containsExactly(TIME);
        assertThat(core.published.sum()).isEqualTo(1);
        assertThat(core.hlcMerged.sum()).isEqualTo(1);
    }

    @Test
    void shouldNeverLoopARoundTrip() {
        // Event -> packet: the bus hands the bridge's own packet to its outbound handler
        core.receive(event("chronofabric/in/x", "payload", "hi"));
        PhasePacket<?> echoed = Fakes.stamped(bus.published.get(0), Fakes.id(0, 9), TIME);
        core.forward(echoed, "chronofabric/in/x");
        // packet -> Event: Event Admin hands the bridge's own Event to its inbound handler
        core.forward(Fakes.stamped(PhasePacket.builder("out").channel("in.y").build(), Fakes.id(0, 10), TIME), "chronofabric/in/y");
        core.receive(admin.posted.get(0));

        assertThat(admin.posted).hasSize(1);
        assertThat(bus.published).hasSize(1);
        assertThat(core.echoesSuppressed.sum()).isEqualTo(1);
        assertThat(core.loopsIgnored.sum()).isEqualTo(1);
    }

    @Test
    void shouldRecogniseItsPacketsAcrossAReconfiguration() {
        core.receive(event("chronofabric/in/x", "payload", "before"));
        core.converter(converter("origin-B"));

        core.forward(Fakes.stamped(bus.published.get(0), Fakes.id(0, 3), TIME), "chronofabric/in/x");

        assertThat(admin.posted).isEmpty();
        assertThat(core.echoesSuppressed.sum()).isEqualTo(1);
    }

    @Test
    void shouldCountBadEventsAndNeverThrow() {
        assertThatCode(() -> {
            core.receive(event("chronofabric/in/x", "value", 1));
            core.receive(event("chronofabric/in/x", "payload", 1, "cf.priority", Map.of()));
            core.receive(event("chronofabric/in/x", "payload", 1, "cf.hlc", "not a time"));
        }).doesNotThrowAnyException();

        assertThat(core.badEvents.sum()).isEqualTo(3);
        assertThat(bus.published).isEmpty();
        assertThat(core.lastBadEvent()).startsWith("chronofabric/in/x: ").contains("cf.hlc");
    }

    @Test
    void shouldCountWhatTheBusCannotTakeAndNeverThrow() {
        bus.onPublish = p -> {
            throw new ServiceUnavailableException("bus", "stopping");
        };
        core.receive(event("chronofabric/in/x", "payload", 1));
        bus.onPublish = p -> {
            throw new ResourceExhaustedException("bus", "closed");
        };
        core.receive(event("chronofabric/in/x", "payload", 2));
        bus.onPublish = p -> {
            throw new DeliveryFailedException(9, "retries ran out");
        };
        core.receive(event("chronofabric/in/x", "payload", 3));
        bus.onPublish = p -> {
            throw new IllegalStateException("a defect");
        };
        core.receive(event("chronofabric/in/x", "payload", 4));
        boundBus = null;
        core.receive(event("chronofabric/in/x", "payload", 5));

        assertThat(core.busUnavailable.sum()).isEqualTo(3);
        assertThat(core.publishFailed.sum()).isEqualTo(2);
        assertThat(core.published.sum()).isZero();
        assertThat(core.received.sum()).isEqualTo(5);
    }

    @Test
    void shouldPublishEvenWhenTheClockRefusesTheEventsTime() {
        clock.refuse = new TemporalViolationException("remote time 10 s ahead");

        core.receive(event("chronofabric/in/x", "payload", 1, "cf.hlc", TIME.toString()));

        assertThat(core.hlcRefused.sum()).isEqualTo(1);
        assertThat(bus.published).hasSize(1);
    }

    @Test
    void shouldThrowToTheBusWhenItCannotPost() {
        PhasePacket<String> p = Fakes.stamped(PhasePacket.builder("v").channel("orders").build(), Fakes.id(0, 5), TIME);
        admin.fail = new IllegalStateException("Event Admin stopped");

        assertThatThrownBy(() -> core.forward(p, "chronofabric/orders")).hasMessage("Event Admin stopped");
        assertThat(core.postFailed.sum()).isEqualTo(1);
    }

    @Test
    void shouldSnapshotNumbersOnly() {
        core.receive(event("chronofabric/in/x", "payload", 1));
        boundBus = null;

        Map<String, Object> s = core.snapshot();

        assertThat(s).containsEntry("type", "chronofabric").containsEntry("bridge.published", 1L);
        assertThat(s.entrySet()).filteredOn(e -> !e.getKey().equals("type")).allSatisfy(e -> assertThat(e.getValue()).isInstanceOf(Long.class));
    }
}
