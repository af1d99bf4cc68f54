package io.chronofabric.bridge.typedevent.internal;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.time.HlcClock;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.typedevent.TypedEventBus;
import org.osgi.service.typedevent.TypedEventConstants;
import org.osgi.service.typedevent.UnhandledEventHandler;
import org.osgi.service.typedevent.UntypedEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Typed Events bridge: a whiteboard {@link PacketHandler} per outbound channel (patterns
 * matched against the bus's channels every {@code outbound.pattern.refresh.ms}) that delivers
 * each packet to the Typed Event bus on {@code <topic.prefix>/<channel>}, and an
 * {@link UntypedEventHandler} on the inbound topics (filtered to exclude this bridge's own
 * events) that publishes each event as a packet. It is also the {@link UnhandledEventHandler}
 * that counts events nobody handled. See {@link TypedConverter} and {@link TypedBridgeCore}.
 *
 * <p>The bus and the HLC are optional, dynamic, greedy references; the Typed Event bus is
 * mandatory (dynamic, greedy). Configuration applies at run time.
 */
@Component(name = TypedEventBridgeConfig.PID, configurationPid = TypedEventBridgeConfig.PID, immediate = true,
        service = {HealthIndicator.class, UnhandledEventHandler.class}, property = "chronofabric.bridge=typedevent")
@Designate(ocd = TypedEventBridgeConfig.class)
public final class TypedEventBridge implements HealthIndicator, UnhandledEventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TypedEventBridge.class);
    static final String BRIDGE_PROPERTY = "chronofabric.bridge";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HlcClock clock;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile TypedEventBus typedBus;

    private final Object lock = new Object();
    private final Map<String, ServiceRegistration<?>> outbound = new LinkedHashMap<>();
    private volatile TypedBridgeCore core;
    private BundleContext context;
    private ServiceRegistration<UntypedEventHandler> inbound;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> refreshTask;
    private volatile Settings settings;

    record Settings(ChannelPatterns channels, long refreshMillis, String prefix, List<String> inboundTopics, DeliveryOptions delivery,
            ComponentId source, String origin, List<String> problems) {
    }

    static Settings settings(TypedEventBridgeConfig c, String frameworkId) {
        List<String> problems = new ArrayList<>();
        ChannelPatterns channels = ChannelPatterns.parse(c.outbound_channels(), problems);
        long refresh = c.outbound_pattern_refresh_ms();
        if (refresh < 100 || refresh > 60_000) {
            problems.add("outbound.pattern.refresh.ms=" + refresh + " is not in 100..60000; using 1000");
            refresh = 1000;
        }
        String prefix = c.topic_prefix().trim();
        if (!TopicNames.isValidTopic(prefix)) {
            problems.add("topic.prefix='" + prefix + "' is not a valid topic; using chronofabric");
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
                    problems.add("inbound.topics entry '" + t + "' is not a topic, topic/* or *");
                }
            }
        }
        int retries = c.inbound_retries();
        if (retries < 0 || retries > 255) {
            problems.add("inbound.retries=" + retries + " is not in 0..255; using 3");
            retries = 3;
        }
        DeliveryOptions delivery;
        switch (c.inbound_delivery().trim().toLowerCase(Locale.ROOT)) {
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
        return new Settings(channels, refresh, prefix, List.copyOf(topics), delivery, source, origin, List.copyOf(problems));
    }

    @Activate
    void activate(BundleContext bc, TypedEventBridgeConfig config) {
        synchronized (lock) {
            this.context = bc;
            Settings s = settings(config, frameworkId(bc));
            core = new TypedBridgeCore(converter(s), () -> bus, () -> clock, () -> typedBus);
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chronofabric-bridge-typedevent");
                t.setDaemon(true);
                return t;
            });
            apply(s);
        }
    }

    @Modified
    void modified(TypedEventBridgeConfig config) {
        synchronized (lock) {
            Settings s = settings(config, frameworkId(context));
            Settings old = settings;
            boolean newConverter = !s.origin().equals(old.origin()) || !s.prefix().equals(old.prefix())
                    || !s.delivery().equals(old.delivery()) || !s.source().equals(old.source());
            if (newConverter) {
                core.converter(converter(s));
            }
            if (!s.prefix().equals(old.prefix())) {
                unregisterOutbound(Set.of());
            }
            if (!s.origin().equals(old.origin()) && inbound != null) {
                // the filter names the origin
                unregister(inbound);
                inbound = null;
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
        return "typedevent-bridge@" + (uuid == null ? "unknown" : uuid);
    }

    private static TypedConverter converter(Settings s) {
        return new TypedConverter(s.origin(), s.prefix(), s.source(), s.delivery());
    }

    private void apply(Settings s) {
        settings = s;
        for (String p : s.problems()) {
            LOG.error("Refused part of configuration {}: {}", TypedEventBridgeConfig.PID, p);
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
    }

    private void applyInbound(Settings s) {
        if (s.inboundTopics().isEmpty()) {
            if (inbound != null) {
                unregister(inbound);
                inbound = null;
            }
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(TypedEventConstants.TYPED_EVENT_TOPICS, s.inboundTopics().toArray(new String[0]));
        props.put(TypedEventConstants.TYPED_EVENT_FILTER, core.converter().notOwnFilter());
        props.put(BRIDGE_PROPERTY, "typedevent");
        if (inbound == null) {
            TypedBridgeCore c = core;
            inbound = context.registerService(UntypedEventHandler.class, new InboundHandler(c), props);
            LOG.info("Typed Events bridge: events on {} become packets", s.inboundTopics());
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

    private void refreshOutbound() {
        Settings s = settings;
        Set<String> wanted = new LinkedHashSet<>(s.channels().exact());
        EventBus b = bus;
        if (s.channels().hasPatterns()) {
            if (b == null) {
                outbound.keySet().stream().filter(s.channels()::matches).forEach(wanted::add);
            } else {
                try {
                    for (String ch : b.channels()) {
                        if (s.channels().matches(ch)) {
                            wanted.add(ch);
                        }
                    }
                } catch (RuntimeException e) {
                    outbound.keySet().stream().filter(s.channels()::matches).forEach(wanted::add);
                }
            }
        }
        unregisterOutbound(wanted);
        List<String> added = new ArrayList<>();
        for (String channel : wanted) {
            if (outbound.containsKey(channel)) {
                continue;
            }
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PacketHandler.CHANNEL, channel);
            props.put(BRIDGE_PROPERTY, "typedevent");
            String topic = core.converter().topicFor(channel);
            outbound.put(channel, context.registerService(PacketHandler.class, new OutboundHandler(core, channel, topic), props));
            added.add(channel + " -> " + topic);
        }
        if (!added.isEmpty()) {
            LOG.info("Typed Events bridge: delivering bus channels {}", added);
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

    Set<String> outboundChannels() {
        synchronized (lock) {
            return Set.copyOf(outbound.keySet());
        }
    }

    @Override
    public void notifyUnhandled(String topic, Map<String, Object> event) {
        TypedBridgeCore c = core;
        if (c != null) {
            c.unhandled(topic);
        }
    }

    @Override
    public HealthReport health() {
        try {
            TypedBridgeCore c = core;
            Settings s = settings;
            if (c == null || s == null) {
                return HealthReport.down("Typed Events bridge not active", List.of());
            }
            List<String> details = new ArrayList<>();
            details.add("outbound channels " + s.channels() + ", registered " + outboundChannels() + ", topic prefix " + s.prefix());
            details.add("inbound topics " + s.inboundTopics() + ", delivery " + s.delivery().guarantee());
            details.add("delivered " + c.delivered.sum() + ", deliver failed " + c.deliverFailed.sum() + ", unconvertible "
                    + c.unconvertible.sum() + ", echoes suppressed " + c.echoesSuppressed.sum());
            details.add("received " + c.received.sum() + ", published " + c.published.sum() + ", bad " + c.badEvents.sum()
                    + ", bus unavailable " + c.busUnavailable.sum() + ", publish failed " + c.publishFailed.sum()
                    + ", own events ignored " + c.loopsIgnored.sum());
            details.add("HLC merged " + c.hlcMerged.sum() + ", refused " + c.hlcRefused.sum());
            details.add("unhandled Typed Events " + c.unhandled.sum()
                    + (c.lastUnhandledTopic() == null ? "" : ", last on " + c.lastUnhandledTopic()));
            if (c.lastBadEvent() != null) {
                details.add("last bad event: " + c.lastBadEvent());
            }
            s.problems().forEach(p -> details.add("configuration: " + p));
            String summary = "out " + c.delivered.sum() + ", in " + c.published.sum() + ", bad " + c.badEvents.sum()
                    + ", unhandled " + c.unhandled.sum();
            if (bus == null) {
                return HealthReport.degraded("no bus: " + summary, details);
            }
            if (!s.problems().isEmpty()) {
                return HealthReport.degraded("configuration refused in part: " + summary, details);
            }
            return new HealthReport(HealthStatus.UP, summary, details);
        } catch (RuntimeException e) {
            return HealthReport.down("health check failed: " + e, List.of());
        }
    }

    private static final class OutboundHandler implements PacketHandler<Object> {
        private final TypedBridgeCore core;
        private final String channel;
        private final String topic;

        OutboundHandler(TypedBridgeCore core, String channel, String topic) {
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
            return "Typed Events bridge of channel " + channel + " to topic " + topic;
        }
    }

    private static final class InboundHandler implements UntypedEventHandler {
        private final TypedBridgeCore core;

        InboundHandler(TypedBridgeCore core) {
            this.core = core;
        }

        @Override
        public void notifyUntyped(String topic, Map<String, Object> event) {
            core.receive(topic, event);
        }

        @Override
        public String toString() {
            return "Typed Events bridge inbound handler";
        }
    }
}
