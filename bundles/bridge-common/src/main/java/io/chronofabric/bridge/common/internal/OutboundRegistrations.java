package io.chronofabric.bridge.common.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A bridge's outbound whiteboard handlers, one per bus channel: the exact channels configured plus
 * every channel of the bus a pattern matches. Not thread-safe: the bridge calls it under its own
 * lock (activation, reconfiguration, the pattern refresh timer).
 */
public final class OutboundRegistrations {

    private final String bridge;
    private final Map<String, ServiceRegistration<?>> registered = new LinkedHashMap<>();

    /** @param bridge the value of the {@value BridgeProperties#BRIDGE} service property of each handler */
    public OutboundRegistrations(String bridge) {
        this.bridge = bridge;
    }

    /**
     * The channels to bridge now: the exact ones, and the bus's channels a pattern matches. Without
     * a bus, or when the bus fails to list its channels (restarting), the registered channels the
     * patterns still match are kept; the next refresh tries again.
     */
    public static Set<String> wanted(ChannelPatterns channels, EventBus bus, Set<String> registered) {
        Set<String> wanted = new LinkedHashSet<>(channels.exact());
        if (!channels.hasPatterns()) {
            return wanted;
        }
        if (bus != null) {
            try {
                for (String ch : bus.channels()) {
                    if (channels.matches(ch)) {
                        wanted.add(ch);
                    }
                }
                return wanted;
            } catch (RuntimeException e) {
                // a bus restarting: keep what is registered
            }
        }
        registered.stream().filter(channels::matches).forEach(wanted::add);
        return wanted;
    }

    /**
     * Registers a handler for each wanted channel that has none and unregisters the others.
     *
     * @param topicFor the topic of a channel
     * @param handler  makes the handler of (channel, topic)
     * @return {@code channel -> topic} of each handler added
     */
    public List<String> refresh(BundleContext context, ChannelPatterns channels, EventBus bus, UnaryOperator<String> topicFor,
            BiFunction<String, String, PacketHandler<?>> handler) {
        Set<String> wanted = wanted(channels, bus, registered.keySet());
        retain(wanted);
        List<String> added = new ArrayList<>();
        for (String channel : wanted) {
            if (registered.containsKey(channel)) {
                continue;
            }
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PacketHandler.CHANNEL, channel);
            props.put(BridgeProperties.BRIDGE, bridge);
            String topic = topicFor.apply(channel);
            registered.put(channel, context.registerService(PacketHandler.class, handler.apply(channel, topic), props));
            added.add(channel + " -> " + topic);
        }
        return added;
    }

    /** Unregisters every handler whose channel is not in {@code keep}. */
    public void retain(Set<String> keep) {
        Iterator<Map.Entry<String, ServiceRegistration<?>>> it = registered.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, ServiceRegistration<?>> e = it.next();
            if (!keep.contains(e.getKey())) {
                unregister(e.getValue());
                it.remove();
            }
        }
    }

    /** Unregisters every handler. */
    public void clear() {
        retain(Set.of());
    }

    /** The channels with a handler now. */
    public Set<String> channels() {
        return Set.copyOf(registered.keySet());
    }

    /** Unregisters, ignoring a registration already gone with its bundle. */
    public static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }
}
