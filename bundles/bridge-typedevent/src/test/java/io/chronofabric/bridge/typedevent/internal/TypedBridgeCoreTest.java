package io.chronofabric.bridge.typedevent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.ServiceUnavailableException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.osgi.service.typedevent.TypedEventBus;

class TypedBridgeCoreTest {

    private static final LogicalTime TIME = new LogicalTime(1_764_000_000_000_000_000L, 0, 1);

    private final List<PhasePacket<?>> published = new CopyOnWriteArrayList<>();
    private volatile RuntimeException publishFailure;
    private final EventBus bus = (EventBus) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EventBus.class},
            (proxy, method, args) -> {
                if (method.getName().equals("publish")) {
                    if (publishFailure != null) {
                        throw publishFailure;
                    }
                    published.add((PhasePacket<?>) args[0]);
                    return 1L;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final List<Map<String, ?>> delivered = new CopyOnWriteArrayList<>();
    private final List<String> topics = new CopyOnWriteArrayList<>();
    private final TypedEventBus typedBus = new TypedEventBus() {
        @Override
        public void deliver(Object event) {
            throw new AssertionError("the bridge delivers maps");
        }

        @Override
        public void deliver(String topic, Object event) {
            throw new AssertionError("the bridge delivers maps");
        }

        @Override
        public void deliverUntyped(String topic, Map<String, ?> event) {
            topics.add(topic);
            delivered.add(event);
        }
    };
    private volatile EventBus boundBus = bus;
    private final TypedBridgeCore core = new TypedBridgeCore(
            new TypedConverter("origin-T", "chronofabric", ComponentId.SYSTEM, DeliveryOptions.BEST_EFFORT), () -> boundBus,
            () -> null, () -> typedBus);

    private static <T> PhasePacket<T> stamped(PhasePacket<T> p) {
        p.stamp(new Object(), MessageId.pack(0, 3), TIME, 1, RoutingMetadata.NO_DEADLINE);
        return p;
    }

    @Test
    void shouldDeliverAPacketAndPublishAnEvent() {
        core.forward(stamped(PhasePacket.builder(Map.of("a", 1)).channel("orders").build()), "chronofabric/orders");
        core.receive("chronofabric/in/orders", Map.of("b", 2));

        assertThat(topics).containsExactly("chronofabric/orders");
        assertThat(delivered.get(0).get("a")).isEqualTo(1);
        assertThat(published).singleElement().satisfies(p -> {
            assertThat(p.channel()).isEqualTo("in.orders");
            assertThat(p.payload()).isEqualTo(Map.of("b", 2));
        });
    }

    @Test
    void shouldNeverLoopARoundTrip() {
        core.receive("chronofabric/in/x", Map.of("b", 2));
        core.forward(stamped(published.get(0)), "chronofabric/in/x");
        core.forward(stamped(PhasePacket.builder("y").channel("in.y").build()), "chronofabric/in/y");
        core.receive("chronofabric/in/y", delivered.get(0));

        assertThat(delivered).hasSize(1);
        assertThat(published).hasSize(1);
        assertThat(core.echoesSuppressed.sum()).isEqualTo(1);
        assertThat(core.loopsIgnored.sum()).isEqualTo(1);
    }

    @Test
    void shouldCountWhatCannotCrossAndNeverThrowIntoTheTypedEventBus() {
        assertThatCode(() -> {
            core.receive("t", Map.of("cf.priority", 9));
            publishFailure = new ServiceUnavailableException("bus", "restarting");
            core.receive("t", Map.of("ok", true));
            boundBus = null;
            core.receive("t", Map.of("ok", true));
        }).doesNotThrowAnyException();

        assertThat(core.badEvents.sum()).isEqualTo(1);
        assertThat(core.busUnavailable.sum()).isEqualTo(2);
        assertThat(core.lastBadEvent()).startsWith("t: ");
    }

    @Test
    void shouldThrowToTheBusForAPayloadItCannotConvert() {
        assertThatThrownBy(() -> core.forward(stamped(PhasePacket.builder(new Object()).channel("x").build()), "chronofabric/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot become a Typed Event");
        assertThat(core.unconvertible.sum()).isEqualTo(1);
    }

    @Test
    void shouldCountUnhandledEvents() {
        core.unhandled("chronofabric/nobody");

        assertThat(core.unhandled.sum()).isEqualTo(1);
        assertThat(core.lastUnhandledTopic()).isEqualTo("chronofabric/nobody");
    }
}
