package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.BusHealth;
import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.BusBridge;
import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.ChannelThrottle;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.EventBusRx;
import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.Subscription;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EventBus service. Wraps one {@link PhaseCoherenceBus} per activation, follows the active
 * TimeSource and HlcClock (optional, dynamic, greedy: a clock swap or a stopped time bundle never
 * restarts the bus; without a clock publishes fail fast), writes failed packets to the
 * {@link DeadLetterLog} (optional, dynamic), keeps channel links and the message-id reservation
 * in its state directory, and subscribes every {@link PacketHandler} service (whiteboard),
 * including those registered before it started or while it was stopped.
 */
@Component(name = "io.chronofabric.bus", configurationPid = BusConfig.PID, immediate = true,
        service = {EventBus.class, EventBusTx.class, EventBusRx.class, BusBridge.class, ChannelThrottle.class})
@Designate(ocd = BusConfig.class)
public final class BusComponent implements EventBus, BusBridge, ChannelThrottle, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(BusComponent.class);
    static final String IDS_FILE = "ids.state";
    static final String LINKS_FILE = "links.txt";

    private final Object lock = new Object();
    private final Map<ServiceReference<?>, PacketHandler<?>> handlers = new LinkedHashMap<>();
    private final Map<ServiceReference<?>, SubscriptionId> handlerSubscriptions = new LinkedHashMap<>();
    private final Map<ServiceReference<?>, String> subscriptionKeys = new LinkedHashMap<>();
    private volatile TimeSource time;
    private volatile HlcClock hlc;
    private volatile DeadLetterLog deadLetterLog;
    private volatile PhaseCoherenceBus bus;
    /** Channel rate limits (ChannelThrottle): in memory, kept while this component lives. */
    private final ChannelLimits throttles = new ChannelLimits();
    private Settings settings = Settings.DEFAULTS;
    private Path stateDir;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTimeSource(TimeSource ts) {
        synchronized (lock) {
            time = ts;
            followClocks();
        }
    }

    void unbindTimeSource(TimeSource ts) {
        synchronized (lock) {
            if (time == ts) {
                time = null;
                followClocks();
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHlc(HlcClock clock) {
        synchronized (lock) {
            hlc = clock;
            followClocks();
        }
    }

    void unbindHlc(HlcClock clock) {
        synchronized (lock) {
            if (hlc == clock) {
                hlc = null;
                followClocks();
            }
        }
    }

    /** Caller holds the lock. Without a clock the bus keeps its queues and subscriptions and refuses publishes. */
    private void followClocks() {
        PhaseCoherenceBus b = bus;
        if (b != null) {
            boolean had = b.hasClock();
            b.setClocks(time, hlc);
            if (had && !b.hasClock()) {
                LOG.warn("No time source or HLC present: the bus keeps running and refuses publishes until one is");
            } else if (!had && b.hasClock()) {
                LOG.info("Bus follows time source '{}' and HLC node {}", time.kind(), hlc.nodeId());
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDeadLetterLog(DeadLetterLog log) {
        synchronized (lock) {
            deadLetterLog = log;
            PhaseCoherenceBus b = bus;
            if (b != null) {
                b.setDeadLetterSink(log instanceof DeadLetterSink sink ? sink : null);
            }
        }
    }

    void unbindDeadLetterLog(DeadLetterLog log) {
        synchronized (lock) {
            if (deadLetterLog == log) {
                deadLetterLog = null;
                // The bus keeps writing through the old log until a new one binds: its store reopens
                // its files for a late record, so dead letters of a bus stopping after it (same bundle,
                // either order) still reach the disk.
            }
        }
    }

    private final List<io.chronofabric.api.trace.SpanSink> spanSinks = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSpanSink(io.chronofabric.api.trace.SpanSink sink) {
        synchronized (lock) {
            spanSinks.add(sink);
            PhaseCoherenceBus b = bus;
            if (b != null) {
                b.setSpanSinks(spanSinks);
            }
        }
    }

    void unbindSpanSink(io.chronofabric.api.trace.SpanSink sink) {
        synchronized (lock) {
            spanSinks.remove(sink);
            PhaseCoherenceBus b = bus;
            if (b != null) {
                b.setSpanSinks(spanSinks);
            }
        }
    }

    /** Applies causal.remote.wait.ms; a value out of range is refused naming it, and the previous one stays. */
    private void applyRemoteWait(PhaseCoherenceBus b, BusConfig config) {
        long ms = config.causal_remote_wait_ms();
        if (ms < 1 || ms > 86_400_000L) {
            LOG.error("Refused {} causal.remote.wait.ms={}: out of range 1..86400000; keeping the previous bound", BusConfig.PID, ms);
            return;
        }
        b.setRemoteWaitNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** Applies trace.sample.ratio; a value out of [0, 1] is refused naming it, and the previous one stays. */
    private void applyTracing(PhaseCoherenceBus b, BusConfig config) {
        try {
            b.setTraceSampleRatio(config.trace_sample_ratio());
        } catch (IllegalArgumentException e) {
            LOG.error("Refused {} {}; keeping the previous ratio", BusConfig.PID, e.getMessage());
        }
    }

    @Reference(service = PacketHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addHandler(ServiceReference<PacketHandler<?>> ref, PacketHandler<?> handler) {
        synchronized (lock) {
            handlers.put(ref, handler);
            if (bus != null) {
                subscribeHandler(ref, handler);
            }
        }
    }

    /**
     * A handler's service properties changed (e.g. its component got its configuration). When
     * nothing its subscription depends on changed (type, channel, component id, delivery), the
     * subscription stays, so no packet is missed; otherwise the new subscription is made before
     * the old one goes (a packet published meanwhile may reach both, none reaches neither).
     */
    void updatedHandler(ServiceReference<PacketHandler<?>> ref, PacketHandler<?> handler) {
        synchronized (lock) {
            PacketHandler<?> before = handlers.put(ref, handler);
            if (bus == null) {
                return;
            }
            SubscriptionId old = handlerSubscriptions.get(ref);
            if (old != null && before == handler && subscriptionKey(ref).equals(subscriptionKeys.get(ref))) {
                return;
            }
            handlerSubscriptions.remove(ref);
            subscriptionKeys.remove(ref);
            subscribeHandler(ref, handler);
            if (old != null) {
                try {
                    bus.unsubscribe(old);
                } catch (RuntimeException e) {
                    LOG.debug("Handler subscription {} was already gone", old);
                }
            }
        }
    }

    /** What a whiteboard subscription depends on, as the service properties say it now. */
    static String subscriptionKey(ServiceReference<?> ref) {
        return ref.getProperty(PacketHandler.TYPE) + "|" + ref.getProperty(PacketHandler.CHANNEL) + "|"
                + ref.getProperty(PacketHandler.COMPONENT_ID) + "|" + ref.getProperty(PacketHandler.DELIVERY);
    }

    void removeHandler(ServiceReference<PacketHandler<?>> ref, PacketHandler<?> handler) {
        synchronized (lock) {
            handlers.remove(ref);
            unsubscribeHandler(ref);
        }
    }

    @Activate
    void activate(BundleContext bc, BusConfig config, Map<String, Object> raw) {
        try {
            settings = Settings.from(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; using the defaults ({})", BusConfig.PID, e.getMessage(), Settings.DEFAULTS);
            settings = Settings.DEFAULTS;
        }
        stateDir = stateDir(bc, config);
        synchronized (lock) {
            DeadLetterLog log = deadLetterLog;
            bus = new PhaseCoherenceBus(settings, time, hlc, SequenceStore.inFile(stateDir.resolve(IDS_FILE)),
                    log instanceof DeadLetterSink sink ? sink : null);
            bus.setSpanSinks(spanSinks);
            throttles.attach(bus::setThrottles);
            applyTracing(bus, config);
            applyRemoteWait(bus, config);
            restoreLinks();
            handlers.forEach(this::subscribeHandler);
        }
        LOG.info("Bus started: {}; {} whiteboard handlers subscribed; message ids from sequence {}; state in {}", settings,
                handlerSubscriptions.size(), bus.firstSequence(), stateDir);
        if (time == null || hlc == null) {
            LOG.warn("Bus started without a time source or HLC: publishes are refused until one is present");
        }
    }

    static Path stateDir(BundleContext bc, BusConfig config) {
        String configured = config.state_dir();
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String karafData = bc == null ? null : bc.getProperty("karaf.data");
        if (karafData != null) {
            return Path.of(karafData, "chronofabric", "bus");
        }
        File data = bc == null ? null : bc.getDataFile("");
        if (data != null) {
            return data.toPath();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "chronofabric", "bus");
    }

    /** Caller holds the lock. Links outlive the bus: they are kept in {@value #LINKS_FILE}. */
    private void restoreLinks() {
        Path file = stateDir.resolve(LINKS_FILE);
        if (!Files.exists(file)) {
            return;
        }
        int n = 0;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split("\\s*->\\s*");
                if (parts.length != 2) {
                    LOG.warn("Ignoring line '{}' of {}: not 'from -> to'", t, file);
                    continue;
                }
                try {
                    bus.declareChannel(parts[0]);
                    bus.linkChannels(parts[0], parts[1]);
                    n++;
                } catch (IllegalArgumentException e) {
                    LOG.warn("Ignoring channel link '{}' of {}: {}", t, file, e.getMessage());
                }
            }
            LOG.info("Restored {} channel links from {}", n, file);
        } catch (IOException e) {
            LOG.error("Could not read channel links from {}: {}", file, e.toString());
        }
    }

    /** Caller holds the lock. */
    private void saveLinks() {
        Path file = stateDir.resolve(LINKS_FILE);
        StringBuilder text = new StringBuilder("# ChronoFabric channel links (from -> to), kept across bus restarts\n");
        bus.channelLinks().forEach((from, tos) -> tos.forEach(to -> text.append(from).append(" -> ").append(to).append('\n')));
        try {
            Files.createDirectories(stateDir);
            Path tmp = stateDir.resolve(LINKS_FILE + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("Could not save channel links to {}: {}; they hold until the bus stops", file, e.toString());
        }
    }

    @Modified
    void modified(BusConfig config, Map<String, Object> raw) {
        try {
            Settings next = Settings.from(config, raw);
            settings = next;
            bus.reconfigure(next);
            applyTracing(bus, config);
            applyRemoteWait(bus, config);
            LOG.info("Bus reconfigured: {}", next);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; keeping {}", BusConfig.PID, e.getMessage(), settings);
        }
    }

    @Deactivate
    void deactivate() {
        PhaseCoherenceBus b;
        synchronized (lock) {
            b = bus;
            bus = null;
            throttles.detach();
            handlerSubscriptions.clear();
            subscriptionKeys.clear();
        }
        if (b != null) {
            b.close();
        }
    }

    /** Caller holds the lock. */
    private void subscribeHandler(ServiceReference<?> ref, PacketHandler<?> handler) {
        String what = describe(ref);
        try {
            String typeName = stringProperty(ref, PacketHandler.TYPE, "java.lang.Object");
            Class<?> type = loadType(ref, typeName);
            String channel = stringProperty(ref, PacketHandler.CHANNEL, "");
            int component = componentId(ref);
            String delivery = stringProperty(ref, PacketHandler.DELIVERY, PacketHandler.DELIVERY_QUEUED);
            if (!delivery.equals(PacketHandler.DELIVERY_QUEUED) && !delivery.equals(PacketHandler.DELIVERY_SAME_THREAD)) {
                throw new IllegalArgumentException(PacketHandler.DELIVERY + "=" + delivery + " is not one of "
                        + PacketHandler.DELIVERY_QUEUED + ", " + PacketHandler.DELIVERY_SAME_THREAD);
            }
            SubscriptionId id = bus.addHandler(handler, type, channel.isEmpty() ? null : channel, component, what,
                    delivery.equals(PacketHandler.DELIVERY_SAME_THREAD));
            handlerSubscriptions.put(ref, id);
            subscriptionKeys.put(ref, subscriptionKey(ref));
            LOG.debug("Subscribed handler {} as {}", what, id);
        } catch (IllegalArgumentException | ResourceExhaustedException | ServiceUnavailableException e) {
            LOG.error("Handler {} not subscribed: {}", what, e.getMessage());
        }
    }

    private void unsubscribeHandler(ServiceReference<?> ref) {
        subscriptionKeys.remove(ref);
        SubscriptionId id = handlerSubscriptions.remove(ref);
        PhaseCoherenceBus b = bus;
        if (id != null && b != null) {
            try {
                b.unsubscribe(id);
            } catch (RuntimeException e) {
                LOG.debug("Handler subscription {} was already gone", id);
            }
        }
    }

    private static String stringProperty(ServiceReference<?> ref, String key, String dflt) {
        Object v = ref.getProperty(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return s.trim();
        }
        throw new IllegalArgumentException(key + "=" + v + " must be a String");
    }

    private static int componentId(ServiceReference<?> ref) {
        Object v = ref.getProperty(PacketHandler.COMPONENT_ID);
        if (v == null) {
            return -1;
        }
        try {
            int id = v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
            if (id < -1 || id > 63) {
                throw new IllegalArgumentException(PacketHandler.COMPONENT_ID + "=" + v + " is out of range 0..63");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PacketHandler.COMPONENT_ID + "=" + v + " is not an integer");
        }
    }

    private static Class<?> loadType(ServiceReference<?> ref, String name) {
        if (name.equals("java.lang.Object")) {
            return Object.class;
        }
        Bundle b = ref.getBundle();
        try {
            return b != null ? b.loadClass(name) : Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(PacketHandler.TYPE + "=" + name + " cannot be loaded by bundle "
                    + (b == null ? "?" : b.getSymbolicName()));
        }
    }

    private static String describe(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        return (b == null ? "?" : b.getSymbolicName()) + " service " + ref.getProperty(Constants.SERVICE_ID);
    }

    private PhaseCoherenceBus bus() {
        PhaseCoherenceBus b = bus;
        if (b == null) {
            throw new ServiceUnavailableException("bus", "the bus is not running");
        }
        return b;
    }

    @Override
    public ChannelLimit limit(String channel, double packetsPerSecond, int burst, String reason) {
        return throttles.limit(channel, packetsPerSecond, burst, reason);
    }

    @Override
    public java.util.Optional<ChannelLimit> clear(String channel) {
        return throttles.clear(channel);
    }

    @Override
    public java.util.Optional<ChannelLimit> limitOf(String channel) {
        return throttles.limitOf(channel);
    }

    @Override
    public List<ChannelLimit> limits() {
        return throttles.limits();
    }

    /** For the console: makes a channel known before anyone subscribes or publishes. */
    public void declareChannel(String channel) {
        bus().declareChannel(channel);
    }

    @Override
    public long publish(PhasePacket<?> packet) {
        return bus().publish(packet);
    }

    @Override
    public long[] publishBatch(List<? extends PhasePacket<?>> packets) {
        return bus().publishBatch(packets);
    }

    @Override
    public PublishStatus tryPublish(PhasePacket<?> packet) {
        PhaseCoherenceBus b = bus;
        return b == null ? PublishStatus.CLOSED : b.tryPublish(packet);
    }

    @Override
    public long publishWithDeadline(PhasePacket<?> packet, long deadlineNanos) {
        return bus().publishWithDeadline(packet, deadlineNanos);
    }

    @Override
    public long publishForeign(PhasePacket<?> packet, long originMessageId, io.chronofabric.api.core.LogicalTime originTime) {
        return bus().publishForeign(packet, originMessageId, originTime);
    }

    @Override
    public long deadLetter(PhasePacket<?> packet, String reason) {
        return bus().deadLetter(packet, reason);
    }

    @Override
    public long deadLetterForeign(PhasePacket<?> packet, long originMessageId, io.chronofabric.api.core.LogicalTime originTime,
            String reason) {
        return bus().deadLetterForeign(packet, originMessageId, originTime, reason);
    }

    @Override
    public int subscriberCount(Class<?> type) {
        return bus().subscriberCount(type);
    }

    @Override
    public int subscriberCount(String channel) {
        return bus().subscriberCount(channel);
    }

    @Override
    public BusStats stats() {
        return bus().stats();
    }

    @Override
    public boolean isHealthy() {
        PhaseCoherenceBus b = bus;
        return b != null && b.isHealthy();
    }

    @Override
    public BusHealth healthCheck() {
        return bus().healthCheck();
    }

    @Override
    public HealthReport health() {
        PhaseCoherenceBus b = bus;
        return b == null ? HealthReport.down("not running", List.of()) : b.health();
    }

    @Override
    public <T> Receiver<T> subscribe(Subscription<T> subscription) {
        return bus().subscribe(subscription);
    }

    @Override
    public void unsubscribe(SubscriptionId id) {
        bus().unsubscribe(id);
    }

    @Override
    public List<SubscriptionInfo> activeSubscriptions() {
        return bus().activeSubscriptions();
    }

    @Override
    public int subscriptionCount() {
        return bus().subscriptionCount();
    }

    @Override
    public Map<String, Integer> subscriptionCounts() {
        return bus().subscriptionCounts();
    }

    @Override
    public Set<String> channels() {
        return bus().channels();
    }

    @Override
    public void linkChannels(String from, String to) {
        synchronized (lock) {
            bus().linkChannels(from, to);
            saveLinks();
        }
    }

    @Override
    public boolean unlinkChannels(String from, String to) {
        synchronized (lock) {
            boolean removed = bus().unlinkChannels(from, to);
            if (removed) {
                saveLinks();
            }
            return removed;
        }
    }

    @Override
    public Map<String, Set<String>> channelLinks() {
        return bus().channelLinks();
    }
}
