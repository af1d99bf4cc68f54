package io.chronofabric.bridge.typedevent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.core.LogicalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.typedevent.TypedEventBus;
import org.osgi.service.typedevent.TypedEventConstants;
import org.osgi.service.typedevent.UntypedEventHandler;

/** The DS component with hand-made services: registrations, run-time configuration, unhandled events, health. */
class TypedEventBridgeTest {

    private final Fakes.Context context = new Fakes.Context();
    private final Fakes.Bus bus = new Fakes.Bus();
    private final List<String> deliveredTopics = new CopyOnWriteArrayList<>();
    private final List<Map<String, ?>> delivered = new CopyOnWriteArrayList<>();
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
            deliveredTopics.add(topic);
            delivered.add(event);
        }
    };
    private final TypedEventBridge bridge = new TypedEventBridge();

    private static TypedEventBridgeConfig config(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return Fakes.config(TypedEventBridgeConfig.class, m);
    }

    private void activate(TypedEventBridgeConfig config) {
        Fakes.inject(bridge, "bus", bus.service);
        Fakes.inject(bridge, "typedBus", typedBus);
        bridge.activate(context.service, config);
    }

    private Set<String> handlerChannels() {
        return context.live(PacketHandler.class).stream().map(r -> (String) r.properties.get(PacketHandler.CHANNEL))
                .collect(Collectors.toSet());
    }

    @AfterEach
    void stop() {
        try {
            bridge.deactivate();
        } catch (RuntimeException e) {
            // not activated
        }
    }

    @Test
    void shouldRegisterOutboundHandlersAndAFilteredInboundHandler() {
        bus.channels.addAll(List.of("orders.eu", "orders.us", "stock"));

        activate(config("outbound_channels", new String[] {"orders.*", "prices"}, "inbound_topics", new String[] {"acme/*"}));

        assertThat(handlerChannels()).containsExactlyInAnyOrder("orders.eu", "orders.us", "prices");
        assertThat(context.live(UntypedEventHandler.class)).singleElement().satisfies(r -> {
            assertThat((String[]) r.properties.get(TypedEventConstants.TYPED_EVENT_TOPICS)).containsExactly("acme/*");
            assertThat(r.properties.get(TypedEventConstants.TYPED_EVENT_FILTER))
                    .isEqualTo("(!(cf.origin=typedevent-bridge@test-uuid))");
        });
    }

    @Test
    void shouldCarryTrafficBothWaysThroughTheRegisteredHandlers() throws Exception {
        activate(config("outbound_channels", new String[] {"prices"}, "inbound_topics", new String[] {"acme/*"}));
        @SuppressWarnings("unchecked")
        PacketHandler<Object> out = (PacketHandler<Object>) context.live(PacketHandler.class).get(0).service;
        UntypedEventHandler in = (UntypedEventHandler) context.live(UntypedEventHandler.class).get(0).service;

        out.onPacket(Fakes.stamped(PhasePacket.<Object>builder(Map.of("sku", "a1")).channel("prices").build(), Fakes.id(0, 1),
                new LogicalTime(5, 0, 0)));
        in.notifyUntyped("acme/orders", Map.of("id", "o-1"));

        assertThat(deliveredTopics).containsExactly("chronofabric/prices");
        assertThat(delivered.get(0).get("sku")).isEqualTo("a1");
        assertThat(bus.published).singleElement().satisfies(p -> {
            assertThat(p.channel()).isEqualTo("acme.orders");
            assertThat(p.payload()).isEqualTo(Map.of("id", "o-1"));
        });
    }

    @Test
    void shouldRegisterTheInboundHandlerAgainWhenTheOriginChanges() {
        activate(config("inbound_topics", new String[] {"acme/*"}));

        bridge.modified(config("inbound_topics", new String[] {"acme/*", "other"}, "origin_id", "node-7"));

        assertThat(context.live(UntypedEventHandler.class)).singleElement().satisfies(r -> {
            assertThat((String[]) r.properties.get(TypedEventConstants.TYPED_EVENT_TOPICS)).containsExactly("acme/*", "other");
            assertThat(r.properties.get(TypedEventConstants.TYPED_EVENT_FILTER)).isEqualTo("(!(cf.origin=node-7))");
        });
        bridge.modified(config());
        assertThat(context.live(UntypedEventHandler.class)).isEmpty();
    }

    @Test
    void shouldCountUnhandledEventsInHealth() {
        activate(config());

        bridge.notifyUnhandled("nobody/listens", Map.of());
        bridge.notifyUnhandled("nobody/either", Map.of());
        HealthReport h = bridge.health();

        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.summary()).isEqualTo("out 0, in 0, bad 0, unhandled 2");
        assertThat(String.join("\n", h.details())).contains("unhandled Typed Events 2, last on nobody/either");
    }

    @Test
    void shouldNameRefusedSettingsInHealth() {
        activate(config("inbound_topics", new String[] {"a/*/b"}, "inbound_delivery", "maybe"));

        HealthReport h = bridge.health();

        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(String.join("\n", h.details())).contains("'a/*/b'").contains("inbound.delivery='maybe'");
        assertThat(context.live(UntypedEventHandler.class)).isEmpty();
    }
}
