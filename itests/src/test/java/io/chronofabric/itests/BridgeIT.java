package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.time.HlcClock;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Event Admin and Typed Events bridges inside the real distribution: each feature is
 * installed through the FeaturesService (what feature:install does), configured through
 * Configuration Admin (what editing etc/io.chronofabric.bridge.*.cfg does), and carries
 * traffic both ways.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BridgeIT extends ChronoFabricTestSupport {

    private static final long WAIT_S = 20;

    @Test
    public void eventAdminBridgeCarriesPacketsToEventsAndEventsToPackets() throws Exception {
        installFeature("chronofabric-bridge-eventadmin");
        configure("io.chronofabric.bridge.eventadmin", "outbound.channels", "itest.bridge.out",
                "inbound.topics", "chronofabric/in/*");
        awaitBridgeSubscribed("itest.bridge.out", "eventadmin");
        EventBus bus = service(EventBus.class);
        // csf:status lists the installed bridge with its provider and health
        String status = execute("csf:status bridges");
        assertContains(status, "bridge:eventadmin");
        assertContains(status, "io.chronofabric.bridge.eventadmin");
        assertContains(execute("csf:status"), "bridge:eventadmin");

        // packet -> Event
        BlockingQueue<org.osgi.service.event.Event> events = new ArrayBlockingQueue<>(16);
        ServiceRegistration<?> handler = EventAdminSide.listen(bundleContext, "chronofabric/itest/bridge/out", events);
        try {
            bus.publish(PhasePacket.builder("hello").channel("itest.bridge.out").priority(Priority.HIGH).build());
            org.osgi.service.event.Event e = events.poll(WAIT_S, TimeUnit.SECONDS);
            assertNotNull("no Event on chronofabric/itest/bridge/out within " + WAIT_S + " s; health: " + health("eventadmin"), e);
            assertEquals("hello", e.getProperty("payload"));
            assertEquals("itest.bridge.out", e.getProperty("cf.channel"));
            assertEquals("java.lang.String", e.getProperty("cf.type"));
            assertEquals("HIGH", e.getProperty("cf.priority"));
            LogicalTime.parse((String) e.getProperty("cf.hlc"));
            assertNotNull(e.getProperty("cf.msgid"));
            assertNotNull(e.getProperty("cf.origin"));
            assertTrue(e.getProperty("timestamp") instanceof Long);
        } finally {
            handler.unregister();
        }

        // Event -> packet, with an HLC receive
        HlcClock clock = service(HlcClock.class);
        // ahead of local time (within the clock's 500 ms bound): only the HLC receive puts the packet after it
        LogicalTime remote = new LogicalTime(clock.now().physical() + 250_000_000L, 5, 77);
        try (Receiver<Object> receiver = bus.subscribeChannel("in.x")) {
            Map<String, Object> props = new HashMap<>();
            props.put("payload", "from-event-admin");
            props.put("cf.hlc", remote.toString());
            props.put("cf.priority", "critical");
            EventAdminSide.post(bundleContext, "chronofabric/in/x", props);
            PhasePacket<Object> p = receiver.take(WAIT_S, TimeUnit.SECONDS);
            assertNotNull("no packet on in.x within " + WAIT_S + " s; health: " + health("eventadmin"), p);
            assertEquals("from-event-admin", p.payload());
            assertEquals(Priority.CRITICAL, p.priority());
            assertTrue("the packet's HLC time " + p.timestamp() + " follows the Event's " + remote,
                    p.timestamp().compareClock(remote) > 0);

            // a bad Event is counted, never thrown into Event Admin, and the bridge goes on
            EventAdminSide.post(bundleContext, "chronofabric/in/x", Map.of("no-payload", 1));
            EventAdminSide.post(bundleContext, "chronofabric/in/x", Map.of("payload", "after-bad"));
            PhasePacket<Object> next = receiver.take(WAIT_S, TimeUnit.SECONDS);
            assertNotNull("no packet after the bad Event; health: " + health("eventadmin"), next);
            assertEquals("after-bad", next.payload());
        }
        HealthReport report = health("eventadmin");
        assertTrue(report.toString(), report.summary().contains("bad 1"));
    }

    @Test
    public void typedEventsBridgeCarriesPacketsToTypedEventsAndBack() throws Exception {
        installFeature("chronofabric-bridge-typedevent");
        configure("io.chronofabric.bridge.typedevent", "outbound.channels", "itest.typed.out",
                "inbound.topics", "chronofabric/typed/*");
        awaitBridgeSubscribed("itest.typed.out", "typedevent");
        EventBus bus = service(EventBus.class);

        BlockingQueue<Map<String, Object>> events = new ArrayBlockingQueue<>(16);
        ServiceRegistration<?> handler = TypedEventSide.listen(bundleContext, "chronofabric/itest/typed/out", events);
        try {
            bus.publish(PhasePacket.builder(Map.of("reading", 21.5)).channel("itest.typed.out").build());
            Map<String, Object> data = events.poll(WAIT_S, TimeUnit.SECONDS);
            assertNotNull("no Typed Event within " + WAIT_S + " s; health: " + health("typedevent"), data);
            assertEquals(21.5, data.get("reading"));
            assertEquals("itest.typed.out", data.get("cf.channel"));
        } finally {
            handler.unregister();
        }

        try (Receiver<Object> receiver = bus.subscribeChannel("typed.in")) {
            TypedEventSide.deliver(bundleContext, "chronofabric/typed/in", Map.of("order", "o-1"));
            PhasePacket<Object> p = receiver.take(WAIT_S, TimeUnit.SECONDS);
            assertNotNull("no packet on typed.in within " + WAIT_S + " s; health: " + health("typedevent"), p);
            assertEquals("o-1", ((Map<?, ?>) p.payload()).get("order"));
        }
    }

    /**
     * What {@code feature:install} does (the console's feature commands are hidden from a session
     * without an admin subject until it runs): no refresh of other bundles, so the probe stays.
     */
    private void installFeature(String name) throws Exception {
        service(FeaturesService.class).installFeature(name, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
    }

    private void configure(String pid, String... keyValues) throws Exception {
        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration(pid, "?");
        Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        config.update(props);
    }

    private void awaitBridgeSubscribed(String channel, String bridge) throws InterruptedException {
        service(PacketHandler.class, "(&(" + PacketHandler.CHANNEL + "=" + channel + ")(chronofabric.bridge=" + bridge + "))");
        waitFor(() -> {
            try {
                return service(EventBus.class).activeSubscriptions().stream().map(SubscriptionInfo::channel).anyMatch(channel::equals);
            } catch (RuntimeException | InterruptedException e) {
                return false;
            }
        }, "the " + bridge + " bridge subscribed to " + channel);
    }

    private HealthReport health(String bridge) {
        try {
            return service(HealthIndicator.class, "(chronofabric.bridge=" + bridge + ")").health();
        } catch (InterruptedException | RuntimeException | AssertionError e) {
            return HealthReport.down("no health: " + e, java.util.List.of());
        }
    }

    static <T> T waitForService(org.osgi.framework.BundleContext bc, Class<T> type) {
        org.osgi.util.tracker.ServiceTracker<T, T> tracker = new org.osgi.util.tracker.ServiceTracker<>(bc, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(SERVICE_TIMEOUT_MS);
            if (service == null) {
                throw new AssertionError("No " + type.getName() + " within " + SERVICE_TIMEOUT_MS + " ms");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        // the tracker stays open: the service is used after this returns (the container ends with the class)
    }

    /** Event Admin types live here, loaded only once the feature installed their package. */
    static final class EventAdminSide {
        static ServiceRegistration<?> listen(org.osgi.framework.BundleContext bc, String topic,
                BlockingQueue<org.osgi.service.event.Event> sink) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(org.osgi.service.event.EventConstants.EVENT_TOPIC, topic);
            org.osgi.service.event.EventHandler h = sink::offer;
            return bc.registerService(org.osgi.service.event.EventHandler.class, h, props);
        }

        static void post(org.osgi.framework.BundleContext bc, String topic, Map<String, ?> props) {
            waitForService(bc, org.osgi.service.event.EventAdmin.class).postEvent(new org.osgi.service.event.Event(topic, props));
        }
    }

    /** Typed Event types, likewise. */
    static final class TypedEventSide {
        static ServiceRegistration<?> listen(org.osgi.framework.BundleContext bc, String topic, BlockingQueue<Map<String, Object>> sink) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(org.osgi.service.typedevent.TypedEventConstants.TYPED_EVENT_TOPICS, topic);
            org.osgi.service.typedevent.UntypedEventHandler h = (t, data) -> sink.offer(data);
            return bc.registerService(org.osgi.service.typedevent.UntypedEventHandler.class, h, props);
        }

        static void deliver(org.osgi.framework.BundleContext bc, String topic, Map<String, ?> data) {
            waitForService(bc, org.osgi.service.typedevent.TypedEventBus.class).deliverUntyped(topic, data);
        }
    }
}
