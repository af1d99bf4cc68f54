package io.chronofabric.bridge.typedevent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.Priority;
import io.chronofabric.bridge.common.internal.BadEventException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypedConverterTest {

    private static final LogicalTime TIME = new LogicalTime(1_764_000_000_000_000_001L, 2, 4);

    private final TypedConverter converter = new TypedConverter("origin-T", "chronofabric", ComponentId.of(8),
            DeliveryOptions.BEST_EFFORT);

    /** A DTO as the OSGi spec defines one: public fields. */
    public static final class Reading {
        public String sensor;
        public double value;
    }

    public record Order(String id, int quantity) {
    }

    static <T> PhasePacket<T> stamped(PhasePacket<T> p) {
        p.stamp(new Object(), MessageId.pack(4, 77), TIME, 1, RoutingMetadata.NO_DEADLINE);
        return p;
    }

    @Test
    void shouldTurnADtoIntoEventDataWithMetadata() throws Exception {
        Reading r = new Reading();
        r.sensor = "t1";
        r.value = 21.5;

        Map<String, Object> data = converter.toEventData(stamped(PhasePacket.builder(r).channel("sensors").priority(Priority.HIGH).build()));

        assertThat(data).containsEntry("sensor", "t1").containsEntry("value", 21.5).containsEntry("cf.channel", "sensors")
                .containsEntry("cf.type", Reading.class.getName()).containsEntry("cf.priority", "HIGH")
                .containsEntry("cf.hlc", TIME.toString()).containsEntry("cf.msgid", "4:77").containsEntry("cf.origin", "origin-T");
    }

    @Test
    void shouldTurnRecordsMapsAndScalarsIntoEventData() throws Exception {
        assertThat(converter.toEventData(stamped(PhasePacket.builder(new Order("o-1", 3)).channel("orders").build())))
                .containsEntry("id", "o-1").containsEntry("quantity", 3);
        assertThat(converter.toEventData(stamped(PhasePacket.builder(Map.of("k", "v", 5, 6)).channel("m").build())))
                .containsEntry("k", "v").containsEntry("5", 6);
        assertThat(converter.toEventData(stamped(PhasePacket.builder("text").channel("s").build()))).containsEntry("payload", "text");
    }

    @Test
    void shouldRefuseAPayloadThatIsNoDataObject() {
        assertThatThrownBy(() -> converter.toEventData(stamped(PhasePacket.builder(new Object()).channel("x").build())))
                .isInstanceOf(BadEventException.class).hasMessageContaining("java.lang.Object").hasMessageContaining("DTO");
    }

    @Test
    void shouldMakeAPacketFromEventData() throws Exception {
        PhasePacket<Object> p = converter.toPacket("chronofabric/in/readings", Map.of("sensor", "t1", "cf.priority", "low"));

        assertThat(p.channel()).isEqualTo("in.readings");
        assertThat(p.priority()).isEqualTo(Priority.LOW);
        assertThat(p.payload()).isEqualTo(Map.of("sensor", "t1", "cf.priority", "low"));
        assertThat(converter.isOwn(p)).isTrue();
    }

    @Test
    void shouldNameBadEventData() {
        assertThatThrownBy(() -> converter.toPacket("t", Map.of("cf.priority", 3))).isInstanceOf(BadEventException.class)
                .hasMessageContaining("cf.priority").hasMessageContaining("Integer");
        assertThatThrownBy(() -> converter.toPacket("t", Map.of("cf.priority", "soon"))).isInstanceOf(BadEventException.class)
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> TypedConverter.hlcOf(Map.of("cf.hlc", "x"))).isInstanceOf(BadEventException.class)
                .hasMessageContaining("cf.hlc");
        assertThatThrownBy(() -> converter.toPacket("t", null)).isInstanceOf(BadEventException.class);
    }

    @Test
    void shouldFilterOutItsOwnEventsOnly() throws Exception {
        TypedConverter odd = new TypedConverter("node-(7)*\\", "chronofabric", ComponentId.SYSTEM, DeliveryOptions.BEST_EFFORT);
        org.osgi.framework.Filter filter = org.osgi.framework.FrameworkUtil.createFilter(odd.notOwnFilter());

        assertThat(filter.matches(Map.of("cf.origin", "node-(7)*\\"))).isFalse();
        assertThat(filter.matches(Map.of("cf.origin", "node-(7)x\\"))).isTrue();
        assertThat(filter.matches(Map.of("payload", 1))).isTrue();
    }

    @Test
    void shouldRecogniseItsOwnEventData() throws Exception {
        Map<String, Object> data = converter.toEventData(stamped(PhasePacket.builder("x").channel("c").build()));

        assertThat(converter.isOwn(data)).isTrue();
        assertThat(new TypedConverter("other", "chronofabric", ComponentId.of(8), DeliveryOptions.BEST_EFFORT).isOwn(data)).isFalse();
        assertThat(converter.notOwnFilter()).isEqualTo("(!(cf.origin=origin-T))");
        assertThat(new TypedConverter("a*(b)", "chronofabric", ComponentId.SYSTEM, DeliveryOptions.BEST_EFFORT).notOwnFilter())
                .isEqualTo("(!(cf.origin=a\\*\\(b\\)))");
    }
}
