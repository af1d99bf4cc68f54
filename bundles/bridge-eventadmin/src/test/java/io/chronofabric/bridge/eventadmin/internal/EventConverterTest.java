package io.chronofabric.bridge.eventadmin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.Priority;
import io.chronofabric.bridge.common.internal.BadEventException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class EventConverterTest {

    private static final LogicalTime TIME = new LogicalTime(1_764_000_000_123_456_789L, 7, 3);

    private final EventConverter converter = new EventConverter("origin-A", "chronofabric", "cf.channel", ComponentId.of(9),
            DeliveryOptions.BEST_EFFORT);

    private static Event event(String topic, Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Event(topic, props);
    }

    @Test
    void shouldPutEveryPacketFieldIntoTheEvent() {
        PhasePacket<String> p = Fakes.stamped(PhasePacket.builder("hello").channel("sensors.temp").priority(Priority.HIGH).build(),
                Fakes.id(3, 42), TIME);

        Event e = converter.toEvent(p, converter.topicFor("sensors.temp"));

        assertThat(e.getTopic()).isEqualTo("chronofabric/sensors/temp");
        assertThat(e.getProperty("cf.channel")).isEqualTo("sensors.temp");
        assertThat(e.getProperty("cf.type")).isEqualTo("java.lang.String");
        assertThat(e.getProperty("cf.priority")).isEqualTo("HIGH");
        assertThat(e.getProperty("cf.hlc")).isEqualTo("1764000000123456789.7@3");
        assertThat(e.getProperty("cf.msgid")).isEqualTo("3:42");
        assertThat(e.getProperty("timestamp")).isEqualTo(1_764_000_000_123L);
        assertThat(e.getProperty("payload")).isEqualTo("hello");
        assertThat(e.getProperty("cf.origin")).isEqualTo("origin-A");
        assertThat(e.containsProperty("traceparent")).isFalse();
    }

    @Test
    void shouldCopyTheTraceparentOfAMapPayload() {
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Map<String, Object> payload = Map.of("traceparent", trace, "value", 1);
        PhasePacket<Map<String, Object>> p = Fakes.stamped(PhasePacket.builder(payload).channel("orders").build(), Fakes.id(0, 1), TIME);

        Event e = converter.toEvent(p, converter.topicFor("orders"));

        assertThat(e.getProperty("traceparent")).isEqualTo(trace);
        assertThat(e.getProperty("payload")).isSameAs(payload);
    }

    @Test
    void shouldCarryATraceBothWays() throws Exception {
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        PhasePacket<Object> in = converter.toPacket(event("chronofabric/in/x", "payload", "v", "traceparent", trace));
        assertThat(in.trace()).isNotNull();
        assertThat(in.trace().traceparent()).isEqualTo(trace);
        assertThat(converter.isOwn(in)).as("still the bridge's own packet: no loop").isTrue();

        PhasePacket<String> out = Fakes.stamped(PhasePacket.builder("hello").channel("orders").traceparent(trace).build(),
                Fakes.id(0, 2), TIME);
        assertThat(converter.toEvent(out, converter.topicFor("orders")).getProperty("traceparent")).isEqualTo(trace);

        assertThatThrownBy(() -> converter.toPacket(event("chronofabric/in/x", "payload", "v", "traceparent", "00-zz")))
                .isInstanceOf(BadEventException.class).hasMessageContaining("'traceparent': traceparent '00-zz' needs 4 fields");
    }

    @Test
    void shouldMakeAPacketFromAnEvent() throws Exception {
        PhasePacket<Object> p = converter.toPacket(event("chronofabric/in/x", "payload", 12.5, "cf.priority", "critical"));

        assertThat(p.payload()).isEqualTo(12.5);
        assertThat(p.channel()).isEqualTo("in.x");
        assertThat(p.priority()).isEqualTo(Priority.CRITICAL);
        assertThat(p.routing().source()).isEqualTo(ComponentId.of(9));
        assertThat(p.isStamped()).isFalse();
    }

    @Test
    void shouldTakeTheChannelFromThePropertyAndAPriorityLevel() throws Exception {
        PhasePacket<Object> p = converter.toPacket(event("chronofabric/in/x", "payload", "v", "cf.channel", "orders.eu",
                "cf.priority", 0));

        assertThat(p.channel()).isEqualTo("orders.eu");
        assertThat(p.priority()).isEqualTo(Priority.LOW);
    }

    @Test
    void shouldReadTheHlcTimeOfAnEvent() throws Exception {
        assertThat(converter.hlcOf(event("chronofabric/in/x", "cf.hlc", "1764000000123456789.7@3"))).isEqualTo(TIME);
        assertThat(converter.hlcOf(event("chronofabric/in/x"))).isNull();
    }

    @Test
    void shouldRefuseAnEventWithoutPayload() {
        assertThatThrownBy(() -> converter.toPacket(event("chronofabric/in/x", "value", 1))).isInstanceOf(BadEventException.class)
                .hasMessageContaining("no 'payload' property");
    }

    @Test
    void shouldNameThePropertyThatCannotBeConverted() {
        assertThatThrownBy(() -> converter.toPacket(event("chronofabric/in/x", "payload", 1, "cf.priority", "urgent")))
                .isInstanceOf(BadEventException.class).hasMessageContaining("cf.priority").hasMessageContaining("urgent");
        assertThatThrownBy(() -> converter.toPacket(event("chronofabric/in/x", "payload", 1, "cf.priority", 7)))
                .isInstanceOf(BadEventException.class).hasMessageContaining("cf.priority").hasMessageContaining("7");
        assertThatThrownBy(() -> converter.toPacket(event("chronofabric/in/x", "payload", 1, "cf.priority", 1.5)))
                .isInstanceOf(BadEventException.class).hasMessageContaining("java.lang.Double");
        assertThatThrownBy(() -> converter.toPacket(event("chronofabric/in/x", "payload", 1, "cf.channel", 5)))
                .isInstanceOf(BadEventException.class).hasMessageContaining("cf.channel").hasMessageContaining("Integer");
        assertThatThrownBy(() -> converter.toPacket(event("chronofabric/in/x", "payload", 1, "cf.channel", "has space")))
                .isInstanceOf(BadEventException.class).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> converter.hlcOf(event("chronofabric/in/x", "cf.hlc", "yesterday")))
                .isInstanceOf(BadEventException.class).hasMessageContaining("cf.hlc").hasMessageContaining("yesterday");
        assertThatThrownBy(() -> converter.hlcOf(event("chronofabric/in/x", "cf.hlc", 17L)))
                .isInstanceOf(BadEventException.class).hasMessageContaining("java.lang.Long");
    }

    @Test
    void shouldFilterOutItsOwnEventsOnly() throws Exception {
        EventConverter odd = new EventConverter("node-(7)*\\", "chronofabric", "cf.channel", ComponentId.SYSTEM,
                DeliveryOptions.BEST_EFFORT);
        org.osgi.framework.Filter filter = org.osgi.framework.FrameworkUtil.createFilter(odd.notOwnFilter());

        assertThat(filter.matches(Map.of("cf.origin", "node-(7)*\\"))).isFalse();
        assertThat(filter.matches(Map.of("cf.origin", "node-(7)x\\"))).isTrue();
        assertThat(filter.matches(Map.of("payload", 1))).isTrue();
    }

    @Test
    void shouldRecogniseItsOwnEventsAndPackets() throws Exception {
        PhasePacket<String> foreign = Fakes.stamped(PhasePacket.builder("x").channel("in.x").build(), Fakes.id(0, 1), TIME);
        Event posted = converter.toEvent(foreign, "chronofabric/in/x");
        PhasePacket<Object> made = converter.toPacket(event("chronofabric/in/x", "payload", "y", "cf.priority", "HIGH"));
        EventConverter other = new EventConverter("origin-B", "chronofabric", "cf.channel", ComponentId.of(9),
                DeliveryOptions.BEST_EFFORT);

        assertThat(converter.isOwn(posted)).isTrue();
        assertThat(other.isOwn(posted)).isFalse();
        assertThat(converter.isOwn(event("chronofabric/in/x", "payload", 1))).isFalse();
        assertThat(converter.isOwn(made)).isTrue();
        assertThat(converter.isOwn(foreign)).isFalse();
        // same settings, another instance: equal routing records, but not its packets
        assertThat(other.isOwn(made)).isFalse();
    }
}
