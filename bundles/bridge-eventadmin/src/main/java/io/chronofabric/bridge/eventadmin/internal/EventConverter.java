package io.chronofabric.bridge.eventadmin.internal;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.Priority;
import io.chronofabric.bridge.common.internal.BadEventException;
import io.chronofabric.bridge.common.internal.BridgeProperties;
import io.chronofabric.bridge.common.internal.TopicNames;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;

/**
 * Packets to Events and Events to packets. Immutable and thread-safe; one instance per
 * configuration.
 *
 * <p>Outbound, an Event has the properties of {@link EventProperties}: the channel, the payload
 * class, the priority name, the HLC timestamp text, the message id text, {@code timestamp} (ms
 * since the epoch, from the HLC), the payload itself, {@code traceparent} when the packet is traced
 * (its trace context; else when the payload is a Map holding one), and the origin marker.
 *
 * <p>Inbound, the payload is the {@code payload} property (required); the channel is the
 * configured channel property or derived from the topic; the priority is {@code cf.priority} (a
 * name or a level) or normal; {@code cf.hlc}, when present, must parse. Packets the bridge
 * publishes use routing records owned by this converter, so its outbound side recognises them
 * ({@link #isOwn}) and never posts them back (a round trip never loops).
 */
final class EventConverter {

    private final String origin;
    private final String topicPrefix;
    private final String channelProperty;
    private final RoutingMetadata[] routings;

    EventConverter(String origin, String topicPrefix, String channelProperty, ComponentId source, DeliveryOptions delivery) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.topicPrefix = Objects.requireNonNull(topicPrefix, "topicPrefix");
        this.channelProperty = Objects.requireNonNull(channelProperty, "channelProperty");
        this.routings = new RoutingMetadata[Priority.LEVELS];
        for (int i = 0; i < routings.length; i++) {
            // own instances (not the shared defaults), recognised by identity
            routings[i] = new RoutingMetadata(source, RoutingMetadata.NO_TASK, ComponentId.ALL, Priority.ofLevel(i),
                    RoutingMetadata.NO_DEADLINE, 0, delivery);
        }
    }

    String origin() {
        return origin;
    }

    String topicPrefix() {
        return topicPrefix;
    }

    /** The outbound topic of {@code channel}. */
    String topicFor(String channel) {
        return TopicNames.topicFor(topicPrefix, channel);
    }

    /** Whether this converter made {@code packet} from an Event. */
    boolean isOwn(PhasePacket<?> packet) {
        return packet.routing() == routings[packet.priority().level()];
    }

    /** Whether {@code event} was posted by a bridge with this origin. */
    boolean isOwn(Event event) {
        return origin.equals(event.getProperty(BridgeProperties.ORIGIN));
    }

    /**
     * The LDAP filter ({@code event.filter}) that keeps Events posted by this bridge from its own
     * inbound handler, so Event Admin does not even deliver them ({@link #isOwn(Event)} still checks).
     */
    String notOwnFilter() {
        StringBuilder b = new StringBuilder("(!(" + BridgeProperties.ORIGIN + "=");
        for (int i = 0; i < origin.length(); i++) {
            char c = origin.charAt(i);
            if (c == '*' || c == '(' || c == ')' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append("))").toString();
    }

    /** The Event for a received packet, on {@code topic} (a valid topic, see {@link #topicFor}). */
    Event toEvent(PhasePacket<?> packet, String topic) {
        Object payload = packet.payload();
        Map<String, Object> props = new HashMap<>(16);
        String channel = packet.channel();
        if (channel != null) {
            props.put(BridgeProperties.CHANNEL, channel);
        }
        props.put(BridgeProperties.TYPE, payload.getClass().getName());
        props.put(BridgeProperties.PRIORITY, packet.priority().name());
        LogicalTime time = packet.timestamp();
        if (time != null) {
            props.put(BridgeProperties.HLC, time.toString());
            props.put(EventConstants.TIMESTAMP, time.physical() / 1_000_000L);
        } else {
            props.put(EventConstants.TIMESTAMP, System.currentTimeMillis());
        }
        if (packet.isStamped()) {
            props.put(BridgeProperties.MESSAGE_ID, packet.messageId().toString());
        }
        if (packet.trace() != null) {
            props.put(BridgeProperties.TRACEPARENT, packet.trace().traceparent());
        } else if (payload instanceof Map<?, ?> map && map.get(BridgeProperties.TRACEPARENT) instanceof String trace) {
            props.put(BridgeProperties.TRACEPARENT, trace);
        }
        props.put(BridgeProperties.PAYLOAD, payload);
        props.put(BridgeProperties.ORIGIN, origin);
        return new Event(topic, props);
    }

    /**
     * The packet for an Event (not yet published).
     *
     * @throws BadEventException naming the property that cannot become part of a packet
     */
    PhasePacket<Object> toPacket(Event event) throws BadEventException {
        Object payload = event.getProperty(BridgeProperties.PAYLOAD);
        if (payload == null) {
            throw new BadEventException("no '" + BridgeProperties.PAYLOAD + "' property");
        }
        String channel = channelOf(event);
        Priority priority = priorityOf(event.getProperty(BridgeProperties.PRIORITY));
        Object traceparent = event.getProperty(BridgeProperties.TRACEPARENT);
        if (traceparent == null) {
            return PhasePacket.of(payload, channel, routings[priority.level()]);
        }
        if (!(traceparent instanceof String text)) {
            throw new BadEventException("'" + BridgeProperties.TRACEPARENT + "' is a " + traceparent.getClass().getName()
                    + ", expected a String");
        }
        try {
            // the same shared routing record: the outbound side still knows the packet as its own
            return PhasePacket.builder(payload).channel(channel).routing(routings[priority.level()]).traceparent(text).build();
        } catch (IllegalArgumentException e) {
            throw new BadEventException("'" + BridgeProperties.TRACEPARENT + "': " + e.getMessage());
        }
    }

    /**
     * The HLC timestamp the Event carries, or null.
     *
     * @throws BadEventException if {@code cf.hlc} is present and is not a timestamp
     */
    LogicalTime hlcOf(Event event) throws BadEventException {
        Object value = event.getProperty(BridgeProperties.HLC);
        if (value == null) {
            return null;
        }
        if (value instanceof LogicalTime t) {
            return t;
        }
        if (!(value instanceof String text)) {
            throw new BadEventException("'" + BridgeProperties.HLC + "' is a " + value.getClass().getName()
                    + ", expected a String physical.logical@node");
        }
        try {
            return LogicalTime.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadEventException("'" + BridgeProperties.HLC + "': " + e.getMessage());
        }
    }

    private String channelOf(Event event) throws BadEventException {
        Object named = event.getProperty(channelProperty);
        if (named != null) {
            if (!(named instanceof String s)) {
                throw new BadEventException("'" + channelProperty + "' is a " + named.getClass().getName() + ", expected a String");
            }
            try {
                return io.chronofabric.api.bus.Channels.requireValid(s);
            } catch (IllegalArgumentException e) {
                throw new BadEventException("'" + channelProperty + "': " + e.getMessage());
            }
        }
        try {
            return TopicNames.channelFor(topicPrefix, event.getTopic());
        } catch (IllegalArgumentException e) {
            throw new BadEventException("no channel from the topic: " + e.getMessage());
        }
    }

    private static Priority priorityOf(Object value) throws BadEventException {
        if (value == null) {
            return Priority.NORMAL;
        }
        try {
            if (value instanceof Priority p) {
                return p;
            }
            if (value instanceof String s) {
                return Priority.parse(s);
            }
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                long level = ((Number) value).longValue();
                if (level < 0 || level >= Priority.LEVELS) {
                    throw new IllegalArgumentException("Priority level " + level + " is out of range 0.." + (Priority.LEVELS - 1));
                }
                return Priority.ofLevel((int) level);
            }
        } catch (IllegalArgumentException e) {
            throw new BadEventException("'" + BridgeProperties.PRIORITY + "': " + e.getMessage());
        }
        throw new BadEventException("'" + BridgeProperties.PRIORITY + "' is a " + value.getClass().getName()
                + ", expected a priority name or level");
    }
}
