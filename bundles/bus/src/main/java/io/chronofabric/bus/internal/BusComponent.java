package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.BusHealth;
import io.chronofabric.api.bus.BusStats;
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
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
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
 * TimeSource and HlcClock (dynamic, greedy), and subscribes every {@link PacketHandler} service
 * (whiteboard), including those registered before it started or while it was stopped.
 */
@Component(name = "io.chronofabric.bus", configurationPid = BusConfig.PID,
        service = {EventBus.class, EventBusTx.class, EventBusRx.class})
@Designate(ocd = BusConfig.class)
public final class BusComponent implements EventBus, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(BusComponent.class);

    private final Object lock = new Object();
    private final Map<ServiceReference<?>, PacketHandler<?>> handlers = new LinkedHashMap<>();
    private final Map<ServiceReference<?>, SubscriptionId> handlerSubscriptions = new LinkedHashMap<>();
    private volatile TimeSource time;
    private volatile HlcClock hlc;
    private volatile PhaseCoherenceBus bus;
    private Settings settings = Settings.DEFAULTS;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTimeSource(TimeSource ts) {
        time = ts;
        PhaseCoherenceBus b = bus;
        if (b != null) {
            b.setTimeSource(ts);
        }
    }

    void unbindTimeSource(TimeSource ts) {
        // a replacement is bound first; without one SCR deactivates the bus
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindHlc(HlcClock clock) {
        hlc = clock;
        PhaseCoherenceBus b = bus;
        if (b != null) {
            b.setHlc(clock);
        }
    }

    void unbindHlc(HlcClock clock) {
        // as above
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

    void updatedHandler(ServiceReference<PacketHandler<?>> ref, PacketHandler<?> handler) {
        synchronized (lock) {
            unsubscribeHandler(ref);
            handlers.put(ref, handler);
            if (bus != null) {
                subscribeHandler(ref, handler);
            }
        }
    }

    void removeHandler(ServiceReference<PacketHandler<?>> ref, PacketHandler<?> handler) {
        synchronized (lock) {
            handlers.remove(ref);
            unsubscribeHandler(ref);
        }
    }

    @Activate
    void activate(BusConfig config, Map<String, Object> raw) {
        try {
            settings = Settings.from(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; using the defaults ({})", BusConfig.PID, e.getMessage(), Settings.DEFAULTS);
            settings = Settings.DEFAULTS;
        }
        synchronized (lock) {
            bus = new PhaseCoherenceBus(settings, time, hlc);
            handlers.forEach(this::subscribeHandler);
        }
        LOG.info("Bus started: {}; {} whiteboard handlers subscribed", settings, handlerSubscriptions.size());
    }

    @Modified
    void modified(BusConfig config, Map<String, Object> raw) {
        try {
            Settings next = Settings.from(config, raw);
            settings = next;
            bus.reconfigure(next);
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
            handlerSubscriptions.clear();
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
            SubscriptionId id = bus.addHandler(handler, type, channel.isEmpty() ? null : channel, component, what);
            handlerSubscriptions.put(ref, id);
            LOG.debug("Subscribed handler {} as {}", what, id);
        } catch (IllegalArgumentException | ResourceExhaustedException e) {
            LOG.error("Handler {} not subscribed: {}", what, e.getMessage());
        }
    }

    private void unsubscribeHandler(ServiceReference<?> ref) {
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
            throw new ResourceExhaustedException("bus", "the bus is not running");
        }
        return b;
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
        bus().linkChannels(from, to);
    }

    @Override
    public boolean unlinkChannels(String from, String to) {
        return bus().unlinkChannels(from, to);
    }

    @Override
    public Map<String, Set<String>> channelLinks() {
        return bus().channelLinks();
    }
}
