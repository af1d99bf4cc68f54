package io.chronofabric.bridge.eventadmin.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.bridge.common.internal.BridgeProperties;
import io.chronofabric.bridge.common.internal.BridgeSettings;
import io.chronofabric.bridge.common.internal.ChannelPatterns;
import io.chronofabric.bridge.common.internal.OutboundRegistrations;
import io.chronofabric.bridge.common.internal.TopicNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
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
    static final String BRIDGE_NAME = "eventadmin";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HlcClock clock;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    private final Object lock = new Object();
    private final OutboundRegistrations outbound = new OutboundRegistrations(BRIDGE_NAME);
    private BridgeCore core;
    private BundleContext context;
    private ServiceRegistration<EventHandler> inbound;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> refreshTask;
    private ScheduledFuture<?> decanterTask;
    private volatile Settings settings;

    /** A configuration, checked: what was refused is in {@code problems}. */
    record Settings(BridgeSettings common, String channelProperty, long decanterMillis, String decanterTopic, List<String> problems) {
        ChannelPatterns channels() {
            return common.channels();
        }

        String prefix() {
            return common.prefix();
        }

        List<String> inboundTopics() {
            return common.inboundTopics();
        }
    }

    static Settings settings(EventAdminBridgeConfig c, String frameworkId) {
        List<String> problems = new ArrayList<>();
        BridgeSettings common = BridgeSettings.parse(c.outbound_channels(), c.outbound_pattern_refresh_ms(), c.topic_prefix(),
                c.inbound_topics(), c.inbound_delivery(), c.inbound_retries(), c.inbound_source_component(), c.origin_id(), frameworkId,
                problems);
        String channelProperty = c.inbound_channel_property().trim();
        if (channelProperty.isEmpty()) {
            channelProperty = BridgeProperties.CHANNEL;
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
        return new Settings(common, channelProperty, decanter, decanterTopic, List.copyOf(problems));
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
            if (s.common().convertsDifferentlyFrom(old.common()) || !s.channelProperty().equals(old.channelProperty())) {
                core.converter(converter(s));
            }
            if (!s.prefix().equals(old.prefix())) {
                // every outbound topic changes
                outbound.clear();
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
        return "eventadmin-bridge@" + (uuid == null ? "unknown" : uuid);
    }

    private static EventConverter converter(Settings s) {
        BridgeSettings c = s.common();
        return new EventConverter(c.origin(), c.prefix(), s.channelProperty(), c.source(), c.delivery());
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
            refreshTask = timer.scheduleWithFixedDelay(this::refreshOutboundQuietly, s.common().refreshMillis(), s.common().refreshMillis(),
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
                OutboundRegistrations.unregister(inbound);
                inbound = null;
                LOG.info("Event Admin bridge: no inbound topics");
            }
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, s.inboundTopics().toArray(new String[0]));
        props.put(EventConstants.EVENT_FILTER, core.converter().notOwnFilter());
        props.put(BridgeProperties.BRIDGE, BRIDGE_NAME);
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
        BridgeCore c = core;
        List<String> added = outbound.refresh(context, settings.channels(), bus, c.converter()::topicFor,
                (channel, topic) -> new OutboundHandler(c, channel, topic));
        if (!added.isEmpty()) {
            LOG.info("Event Admin bridge: posting bus channels {}", added);
        }
    }

    /** Outbound channels registered now. */
    Set<String> outboundChannels() {
        synchronized (lock) {
            return outbound.channels();
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
            details.add("inbound topics " + s.inboundTopics() + ", delivery " + s.common().delivery().guarantee());
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
