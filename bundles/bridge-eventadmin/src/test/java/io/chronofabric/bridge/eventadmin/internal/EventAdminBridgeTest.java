package io.chronofabric.bridge.eventadmin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.core.LogicalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The DS component with hand-made services: registrations, run-time configuration, health. */
class EventAdminBridgeTest {

    private final Fakes.Context context = new Fakes.Context();
    private final Fakes.Bus bus = new Fakes.Bus();
    private final Fakes.Admin admin = new Fakes.Admin();
    private final EventAdminBridge bridge = new EventAdminBridge();

    private static EventAdminBridgeConfig config(Object... keyValues) {
        java.util.HashMap<String, Object> m = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return Fakes.config(EventAdminBridgeConfig.class, m);
    }

    private void activate(EventAdminBridgeConfig config) {
        Fakes.inject(bridge, "bus", bus.service);
        Fakes.inject(bridge, "eventAdmin", admin);
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
    void shouldRegisterAHandlerPerChannelAndPerChannelAPatternMatches() {
        bus.channels.addAll(List.of("sensors.a", "sensors.b", "other", Channels.DEAD_LETTER));

        activate(config("outbound_channels", new String[] {"orders, sensors.*"}));

        assertThat(handlerChannels()).containsExactlyInAnyOrder("orders", "sensors.a", "sensors.b");
        assertThat(context.live(EventHandler.class)).singleElement().satisfies(r -> {
            assertThat((String[]) r.properties.get(EventConstants.EVENT_TOPIC)).containsExactly("chronofabric/in/*");
            assertThat(r.properties.get(EventConstants.EVENT_FILTER)).isEqualTo("(!(cf.origin=eventadmin-bridge@test-uuid))");
        });
    }

    @Test
    void shouldSubscribeAChannelThatAppearsLaterWhenAPatternMatchesIt() throws InterruptedException {
        activate(config("outbound_channels", new String[] {"sensors.*"}, "outbound_pattern_refresh_ms", 100L));
        assertThat(handlerChannels()).isEmpty();

        bus.channels.add("sensors.late");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!handlerChannels().contains("sensors.late") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(handlerChannels()).containsExactly("sensors.late");
    }

    @Test
    void shouldPostWhatTheRegisteredHandlerReceivesOnTheChannelsTopic() throws Exception {
        activate(config("outbound_channels", new String[] {"sensors.temp"}));
        @SuppressWarnings("unchecked")
        PacketHandler<Object> handler = (PacketHandler<Object>) context.live(PacketHandler.class).get(0).service;

        handler.onPacket(Fakes.stamped(PhasePacket.<Object>builder(20.5).channel("sensors.temp").build(), Fakes.id(0, 1),
                new LogicalTime(1_000_000_000L, 0, 0)));

        assertThat(admin.posted).singleElement().satisfies(e -> {
            assertThat(e.getTopic()).isEqualTo("chronofabric/sensors/temp");
            assertThat(e.getProperty("payload")).isEqualTo(20.5);
            assertThat(e.getProperty("cf.origin")).isEqualTo("eventadmin-bridge@test-uuid");
        });
    }

    @Test
    void shouldApplyAChangedConfigurationAtRunTime() throws Exception {
        activate(config("outbound_channels", new String[] {"orders", "keep"}));
        EventHandler inbound = (EventHandler) context.live(EventHandler.class).get(0).service;

        bridge.modified(config("outbound_channels", new String[] {"keep", "invoices"}, "inbound_topics",
                new String[] {"a/b", "c/*"}, "inbound_channel_property", "target"));

        assertThat(handlerChannels()).containsExactlyInAnyOrder("keep", "invoices");
        assertThat(context.registrations.stream().filter(r -> r.type == PacketHandler.class).count())
                .as("'keep' kept its registration").isEqualTo(3);
        assertThat(context.live(EventHandler.class)).singleElement()
                .satisfies(r -> assertThat((String[]) r.properties.get(EventConstants.EVENT_TOPIC)).containsExactly("a/b", "c/*"));
        // the new channel property applies to the registered inbound handler
        inbound.handleEvent(new Event("a/b", Map.of("payload", "p", "target", "routed")));
        assertThat(bus.published).singleElement().satisfies(p -> assertThat(p.channel()).isEqualTo("routed"));

        bridge.modified(config("origin_id", "node-(7)"));
        assertThat(context.live(EventHandler.class)).singleElement()
                .satisfies(r -> assertThat(r.properties.get(EventConstants.EVENT_FILTER)).isEqualTo("(!(cf.origin=node-\\(7\\)))"));

        bridge.modified(config("inbound_topics", new String[0]));
        assertThat(context.live(EventHandler.class)).isEmpty();
        assertThat(handlerChannels()).isEmpty();
    }

    @Test
    void shouldRegisterTheHandlersAgainUnderANewTopicPrefix() {
        activate(config("outbound_channels", new String[] {"orders"}));

        bridge.modified(config("outbound_channels", new String[] {"orders"}, "topic_prefix", "acme/fabric"));

        assertThat(context.live(PacketHandler.class)).singleElement()
                .satisfies(r -> assertThat(r.service.toString()).endsWith("to topic acme/fabric/orders"));
    }

    @Test
    void shouldNameEverySettingItRefusesAndReportThemInHealth() {
        activate(config("topic_prefix", "bad prefix", "inbound_topics", new String[] {"ok/*", "a//b"}, "inbound_delivery",
                "sometimes", "inbound_source_component", 99, "inbound_retries", 300, "decanter_interval_ms", -1L,
                "outbound_pattern_refresh_ms", 5L, "outbound_channels", new String[] {"x*y"}));

        HealthReport h = bridge.health();

        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(String.join("\n", h.details())).contains("topic.prefix='bad prefix'").contains("'a//b'")
                .contains("inbound.delivery='sometimes'").contains("Component id 99").contains("inbound.retries=300")
                .contains("decanter.interval.ms=-1").contains("outbound.pattern.refresh.ms=5").contains("'x*y'");
        assertThat(context.live(EventHandler.class)).singleElement()
                .satisfies(r -> assertThat((String[]) r.properties.get(EventConstants.EVENT_TOPIC)).containsExactly("ok/*"));
    }

    @Test
    void shouldReportHealthWithCountsAndWithoutABus() {
        activate(config());
        EventHandler inbound = (EventHandler) context.live(EventHandler.class).get(0).service;
        inbound.handleEvent(new Event("chronofabric/in/x", Map.of("payload", 1)));
        inbound.handleEvent(new Event("chronofabric/in/x", Map.of("nothing", 1)));

        HealthReport up = bridge.health();
        Fakes.inject(bridge, "bus", null);
        HealthReport noBus = bridge.health();

        assertThat(up.status()).isEqualTo(HealthStatus.UP);
        assertThat(up.summary()).isEqualTo("out 0, in 1, bad 1, dropped 0");
        assertThat(String.join("\n", up.details())).contains("last bad Event: chronofabric/in/x: no 'payload' property");
        assertThat(noBus.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(noBus.summary()).startsWith("no bus: ");
    }

    @Test
    void shouldPostNumericSnapshotsForDecanterWhenConfigured() throws InterruptedException {
        activate(config("decanter_interval_ms", 100L));

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (admin.posted.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(admin.posted).isNotEmpty().first().satisfies(e -> {
            assertThat(e.getTopic()).isEqualTo("decanter/collect/chronofabric");
            assertThat(e.getProperty("type")).isEqualTo("chronofabric");
            assertThat(e.getProperty("bridge.published")).isEqualTo(0L);
            assertThat(e.getProperty("cf.origin")).isEqualTo("eventadmin-bridge@test-uuid");
        });
    }

    @Test
    void shouldPostNoSnapshotByDefault() {
        activate(config());

        assertThat(bridge.health().details()).noneMatch(d -> d.startsWith("Decanter"));
        assertThat(admin.posted).isEmpty();
    }

    @Test
    void shouldUnregisterEverythingAtDeactivation() {
        activate(config("outbound_channels", new String[] {"a", "b"}));

        bridge.deactivate();

        assertThat(context.registrations).hasSize(3).allSatisfy(r -> assertThat(r.unregistered).isTrue());
    }
}
