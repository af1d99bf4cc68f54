package io.chronofabric.bridge.eventadmin.internal;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.time.HlcClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Event Admin bridge: a whiteboard {@link PacketHandler} per outbound channel (patterns are
 * matched against the bus's channels every {@code outbound.pattern.refresh.ms}) that posts each
 * packet as an Event on {@code <topic.prefix>/<channel>}, and an {@link EventHandler} on the
 * inbound topics that publishes each Event as a packet. See {@link EventConverter} for the
 * properties and {@link BridgeCore} for failures and loop prevention.
 *
 * <p>The bus and the HLC are optional, dynamic, greedy references: the handlers are whiteboard
 * services, so a restarted or replaced bus subscribes them again, and inbound Events use
 * whichever bus is bound at the time (none: counted as dropped). Event Admin is mandatory.
 * Configuration changes apply at run time; only the registrations that changed are redone.
 */
@Component(name = EventAdminBridgeConfig.PID, configurationPid = EventAdminBridgeConfig.PID, immediate = true,
        service = HealthIndicator.class, property = "chronofabric.bridge=eventadmin")
@Designate(ocd = EventAdminBridgeConfig.class)
public final class EventAdminBridge implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(EventAdminBridge.class);
    static final String BRIDGE_PROPERTY = "chronofabric.bridge";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HlcClock clock;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    private final Object lock = new Object();
    private final Map<String, ServiceRegistration<?>> outbound = new LinkedHashMap<>();
    private BridgeCore core;
    private BundleContext context;
    private ServiceRegistration<EventHandler> inbound;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> refreshTask;
    private ScheduledFuture<?> decanterTask;
    private volatile Settings settings;

    /** A configuration, checked: what was refused is in {@code problems}. */
    record Settings(ChannelPatterns channels, long refreshMillis, String prefix, List<String> inboundTopics, String channelProperty,
            DeliveryOptions delivery, ComponentId source, String origin, long decanterMillis, String decanterTopic,
            List<String> problems) {
    }

    static Settings settings(EventAdminBridgeConfig c, String frameworkId) {
        List<String> problems = new ArrayList<>();
        ChannelPatterns channels = ChannelPatterns.parse(c.outbound_channels(), problems);
        long refresh = c.outbound_pattern_refresh_ms();
        if (refresh < 100 || refresh > 60_000) {
            problems.add("outbound.pattern.refresh.ms=" + refresh + " is not in 100..60000; using 1000");
            refresh = 1000;
        }
        String prefix = c.topic_prefix().trim();
        if (!TopicNames.isValidTopic(prefix)) {
            problems.add("topic.prefix='" + prefix + "' is not a valid topic (tokens of letters, digits, _ and -, "
                    + "separated by /); using chronofabric");
            prefix = "chronofabric";
        }
        List<String> topics = new ArrayList<>();
        for (String entry : c.inbound_topics()) {
            for (String part : entry.split(",")) {
                String t = part.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (TopicNames.isValidTopicPattern(t)) {
                    topics.add(t);
                } else {
                    problems.add("inbound.topics entry '" + t + "' is not a topic or topic/* pattern");
                }
            }
        }
        String channelProperty = c.inbound_channel_property().trim();
        if (channelProperty.isEmpty()) {
            channelProperty = EventProperties.CHANNEL;
        }
        int retries = c.inbound_retries();
        if (retries < 0 || retries > 255) {
            problems.add("inbound.retries=" + retries + " is not in 0..255; using 3");
            retries = 3;
        }
        DeliveryOptions delivery;
        switch (c.inbound_delivery().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "best-effort" -> delivery = DeliveryOptions.BEST_EFFORT;
            case "guaranteed" -> delivery = DeliveryOptions.guaranteed(retries);
            default -> {
                problems.add("inbound.delivery='" + c.inbound_delivery() + "' is not best-effort or guaranteed; using best-effort");
                delivery = DeliveryOptions.BEST_EFFORT;
            }
        }
        ComponentId source = ComponentId.SYSTEM;
        try {
            source = ComponentId.of(c.inbound_source_component());
        } catch (IllegalArgumentException e) {
            problems.add("inbound.source.component: " + e.getMessage() + "; using 0");
        }
        String origin = c.origin_id().trim();
        if (origin.isEmpty()) {
            origin = frameworkId;
        }
        long decanter = c.decanter_interval_ms();
        if (decanter < 0) {
            problems.add("decanter.interval.ms=" + decanter + " is negative; snapshots off");
            decanter = 0;
        } else if (decanter > 0 && decanter < 100) {
            problems.add("decanter.interval.ms=" + decanter + " is below 100; using 100");
            decanter = 100;
        }
        String decanterTopic = c.decanter_topic().trim();
        if (!TopicNames.isValidTopic(decanterTopic)) {
            problems.add("decanter.topic='" + decanterTopic + "' is not a valid topic; using decanter/collect/chronofabric");
            decanterTopic = "decanter/collect/chronofabric";
        }
        return new Settings(channels, refresh, prefix, List.copyOf(topics), channelProperty, delivery, source, origin, decanter,
                decanterTopic, List.copyOf(problems));
    }

    @Activate
    void activate(BundleContext bc, EventAdminBridgeConfig config) {
        synchronized (lock) {
            this.context = bc;
            Settings s = settings(config, frameworkId(bc));
            core = new BridgeCore(converter(s), () -> bus, () -> clock, () -> eventAdmin);
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chronofabric-bridge-eventadmin");
                t.setDaemon(true);
                return t;
            });
            apply(s);
        }
    }

    @Modified
    void modified(EventAdminBridgeConfig config) {
        synchronized (lock) {
            Settings s = settings(config, frameworkId(context));
            Settings old = settings;
            if (!s.origin().equals(old.origin()) || !s.prefix().equals(old.prefix()) || !s.channelProperty().equals(old.channelProperty())
                    || !s.delivery().equals(old.delivery()) || !s.source().equals(old.source())) {
                core.converter(converter(s));
            }
            if (!s.prefix().equals(old.prefix())) {
                // every outbound topic changes
                unregisterOutbound(Set.of());
            }
            apply(s);
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            timer.shutdownNow();
            unregisterOutbound(Set.of());
            if (inbound != null) {
                unregister(inbound);
                inbound = null;
            }
        }
    }

    private static String frameworkId(BundleContext bc) {
        String uuid = bc.getProperty(Constants.FRAMEWORK_UUID);
        return "eventadmin-bridge@" + (uuid == null ? "unknown" : uuid);
    }

    private static EventConverter converter(Settings s) {
        return new EventConverter(s.origin(), s.prefix(), s.channelProperty(), s.source(), s.delivery());
    }

    private void apply(Settings s) {
        settings = s;
        for (String p : s.problems()) {
            LOG.error("Refused part of configuration {}: {}", EventAdminBridgeConfig.PID, p);
        }
        applyInbound(s);
        refreshOutbound();
        if (refreshTask != null) {
            refreshTask.cancel(false);
            refreshTask = null;
        }
        if (s.channels().hasPatterns()) {
            refreshTask = timer.scheduleWithFixedDelay(this::refreshOutboundQuietly, s.refreshMillis(), s.refreshMillis(),
                    TimeUnit.MILLISECONDS);
        }
        if (decanterTask != null) {
            decanterTask.cancel(false);
            decanterTask = null;
        }
        if (s.decanterMillis() > 0) {
            String topic = s.decanterTopic();
            decanterTask = timer.scheduleAtFixedRate(() -> {
                try {
                    core.postSnapshot(topic);
                } catch (RuntimeException e) {
                    LOG.warn("Could not post a snapshot to {}: {}", topic, e.toString());
                }
            }, s.decanterMillis(), s.decanterMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void applyInbound(Settings s) {
        if (s.inboundTopics().isEmpty()) {
            if (inbound != null) {
                unregister(inbound);
                inbound = null;
                LOG.info("Event Admin bridge: no inbound topics");
            }
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, s.inboundTopics().toArray(new String[0]));
        props.put(EventConstants.EVENT_FILTER, core.converter().notOwnFilter());
        props.put(BRIDGE_PROPERTY, "eventadmin");
        if (inbound == null) {
            BridgeCore c = core;
            inbound = context.registerService(EventHandler.class, new InboundHandler(c), props);
            LOG.info("Event Admin bridge: Events on {} become packets", s.inboundTopics());
        } else {
            inbound.setProperties(props);
        }
    }

    private void refreshOutboundQuietly() {
        try {
            synchronized (lock) {
                if (context != null && !timer.isShutdown()) {
                    refreshOutbound();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not match the outbound channel patterns against the bus's channels: {}", e.toString());
        }
    }

    /** Registers a handler for each configured channel (and each bus channel a pattern matches); drops the others. */
    private void refreshOutbound() {
        Settings s = settings;
        Set<String> wanted = new LinkedHashSet<>(s.channels().exact());
        EventBus b = bus;
        if (s.channels().hasPatterns() && b != null) {
            try {
                for (String ch : b.channels()) {
                    if (s.channels().matches(ch)) {
                        wanted.add(ch);
                    }
                }
            } catch (RuntimeException e) {
                // a bus restarting: keep what is registered, the next refresh retries
                wanted.addAll(outbound.keySet());
            }
        }
        if (s.channels().hasPatterns() && b == null) {
            wanted.addAll(outbound.keySet().stream().filter(s.channels()::matches).toList());
        }
        unregisterOutbound(wanted);
        List<String> added = new ArrayList<>();
        for (String channel : wanted) {
            if (outbound.containsKey(channel)) {
                continue;
            }
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PacketHandler.CHANNEL, channel);
            props.put(BRIDGE_PROPERTY, "eventadmin");
            String topic = core.converter().topicFor(channel);
            outbound.put(channel, context.registerService(PacketHandler.class, new OutboundHandler(core, channel, topic), props));
            added.add(channel + " -> " + topic);
        }
        if (!added.isEmpty()) {
            LOG.info("Event Admin bridge: posting bus channels {}", added);
        }
    }

    private void unregisterOutbound(Set<String> keep) {
        Iterator<Map.Entry<String, ServiceRegistration<?>>> it = outbound.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, ServiceRegistration<?>> e = it.next();
            if (!keep.contains(e.getKey())) {
                unregister(e.getValue());
                it.remove();
            }
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }

    /** Outbound channels registered now. */
    Set<String> outboundChannels() {
        synchronized (lock) {
            return Set.copyOf(outbound.keySet());
        }
    }

    @Override
    public HealthReport health() {
        try {
            BridgeCore c = core;
            Settings s = settings;
            if (c == null || s == null) {
                return HealthReport.down("Event Admin bridge not active", List.of());
            }
            List<String> details = new ArrayList<>();
            details.add("outbound channels " + s.channels() + ", registered " + outboundChannels() + ", topic prefix " + s.prefix());
            details.add("inbound topics " + s.inboundTopics() + ", delivery " + s.delivery().guarantee());
            details.add("posted " + c.posted.sum() + ", post failed " + c.postFailed.sum() + ", echoes suppressed "
                    + c.echoesSuppressed.sum());
            details.add("received " + c.received.sum() + ", published " + c.published.sum() + ", bad " + c.badEvents.sum()
                    + ", bus unavailable " + c.busUnavailable.sum() + ", publish failed " + c.publishFailed.sum()
                    + ", own Events ignored " + c.loopsIgnored.sum());
            details.add("HLC merged " + c.hlcMerged.sum() + ", refused " + c.hlcRefused.sum());
            if (s.decanterMillis() > 0) {
                details.add("Decanter snapshots " + c.snapshots.sum() + " to " + s.decanterTopic());
            }
            String lastBad = c.lastBadEvent();
            if (lastBad != null) {
                details.add("last bad Event: " + lastBad);
            }
            s.problems().forEach(p -> details.add("configuration: " + p));
            String summary = "out " + c.posted.sum() + ", in " + c.published.sum() + ", bad " + c.badEvents.sum()
                    + ", dropped " + (c.busUnavailable.sum() + c.publishFailed.sum() + c.postFailed.sum());
            if (bus == null) {
                return HealthReport.degraded("no bus: " + summary, details);
            }
            if (!s.problems().isEmpty()) {
                return HealthReport.degraded("configuration refused in part: " + summary, details);
            }
            return new HealthReport(io.chronofabric.api.core.HealthStatus.UP, summary, details);
        } catch (RuntimeException e) {
            return HealthReport.down("health check failed: " + e, List.of());
        }
    }

    /** One outbound channel. */
    private static final class OutboundHandler implements PacketHandler<Object> {
        private final BridgeCore core;
        private final String channel;
        private final String topic;

        OutboundHandler(BridgeCore core, String channel, String topic) {
            this.core = core;
            this.channel = channel;
            this.topic = topic;
        }

        @Override
        public void onPacket(PhasePacket<Object> packet) {
            core.forward(packet, topic);
        }

        @Override
        public String toString() {
            return "Event Admin bridge of channel " + channel + " to topic " + topic;
        }
    }

    /** The inbound topics. */
    private static final class InboundHandler implements EventHandler {
        private final BridgeCore core;

        InboundHandler(BridgeCore core) {
            this.core = core;
        }

        @Override
        public void handleEvent(Event event) {
            core.receive(event);
        }

        @Override
        public String toString() {
            return "Event Admin bridge inbound handler";
        }
    }

    @Override
    public String toString() {
        Settings s = settings;
        return "Event Admin bridge" + (s == null ? "" : " " + s.channels() + " / " + Arrays.toString(s.inboundTopics().toArray()));
    }
}
