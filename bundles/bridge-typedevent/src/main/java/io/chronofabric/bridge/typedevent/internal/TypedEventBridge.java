package io.chronofabric.bridge.typedevent.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.bridge.common.internal.BridgeProperties;
import io.chronofabric.bridge.common.internal.BridgeSettings;
import io.chronofabric.bridge.common.internal.ChannelPatterns;
import io.chronofabric.bridge.common.internal.OutboundRegistrations;
import java.util.ArrayList;
import java.util.Hashtable;
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
    static final String BRIDGE_NAME = "typedevent";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HlcClock clock;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile TypedEventBus typedBus;

    private final Object lock = new Object();
    private final OutboundRegistrations outbound = new OutboundRegistrations(BRIDGE_NAME);
    private volatile TypedBridgeCore core;
    private BundleContext context;
    private ServiceRegistration<UntypedEventHandler> inbound;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> refreshTask;
    private volatile Settings settings;

    /** A configuration, checked: what was refused is in {@code problems}. */
    record Settings(BridgeSettings common, List<String> problems) {
        ChannelPatterns channels() {
            return common.channels();
        }

        String prefix() {
            return common.prefix();
        }

        String origin() {
            return common.origin();
        }

        List<String> inboundTopics() {
            return common.inboundTopics();
        }
    }

    static Settings settings(TypedEventBridgeConfig c, String frameworkId) {
        List<String> problems = new ArrayList<>();
        BridgeSettings common = BridgeSettings.parse(c.outbound_channels(), c.outbound_pattern_refresh_ms(), c.topic_prefix(),
                c.inbound_topics(), c.inbound_delivery(), c.inbound_retries(), c.inbound_source_component(), c.origin_id(), frameworkId,
                problems);
        return new Settings(common, List.copyOf(problems));
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
            if (s.common().convertsDifferentlyFrom(old.common())) {
                core.converter(converter(s));
            }
            if (!s.prefix().equals(old.prefix())) {
                // every outbound topic changes
                outbound.clear();
            }
            if (!s.origin().equals(old.origin()) && inbound != null) {
                // the filter names the origin
                OutboundRegistrations.unregister(inbound);
                inbound = null;
            }
            apply(s);
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            timer.shutdownNow();
            outbound.clear();
            if (inbound != null) {
                OutboundRegistrations.unregister(inbound);
                inbound = null;
            }
        }
    }

    private static String frameworkId(BundleContext bc) {
        String uuid = bc.getProperty(Constants.FRAMEWORK_UUID);
        return "typedevent-bridge@" + (uuid == null ? "unknown" : uuid);
    }

    private static TypedConverter converter(Settings s) {
        BridgeSettings c = s.common();
        return new TypedConverter(c.origin(), c.prefix(), c.source(), c.delivery());
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
            refreshTask = timer.scheduleWithFixedDelay(this::refreshOutboundQuietly, s.common().refreshMillis(), s.common().refreshMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void applyInbound(Settings s) {
        if (s.inboundTopics().isEmpty()) {
            if (inbound != null) {
                OutboundRegistrations.unregister(inbound);
                inbound = null;
            }
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(TypedEventConstants.TYPED_EVENT_TOPICS, s.inboundTopics().toArray(new String[0]));
        props.put(TypedEventConstants.TYPED_EVENT_FILTER, core.converter().notOwnFilter());
        props.put(BridgeProperties.BRIDGE, BRIDGE_NAME);
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

    /** Registers a handler for each configured channel (and each bus channel a pattern matches); drops the others. */
    private void refreshOutbound() {
        TypedBridgeCore c = core;
        List<String> added = outbound.refresh(context, settings.channels(), bus, c.converter()::topicFor,
                (channel, topic) -> new OutboundHandler(c, channel, topic));
        if (!added.isEmpty()) {
            LOG.info("Typed Events bridge: delivering bus channels {}", added);
        }
    }

    /** Outbound channels registered now. */
    Set<String> outboundChannels() {
        synchronized (lock) {
            return outbound.channels();
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
            details.add("inbound topics " + s.inboundTopics() + ", delivery " + s.common().delivery().guarantee());
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
