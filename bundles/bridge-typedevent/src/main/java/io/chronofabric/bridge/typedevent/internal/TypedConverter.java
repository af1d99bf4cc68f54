package io.chronofabric.bridge.typedevent.internal;

import static io.chronofabric.bridge.common.internal.BridgeProperties.CHANNEL;
import static io.chronofabric.bridge.common.internal.BridgeProperties.HLC;
import static io.chronofabric.bridge.common.internal.BridgeProperties.MESSAGE_ID;
import static io.chronofabric.bridge.common.internal.BridgeProperties.ORIGIN;
import static io.chronofabric.bridge.common.internal.BridgeProperties.PAYLOAD;
import static io.chronofabric.bridge.common.internal.BridgeProperties.PRIORITY;
import static io.chronofabric.bridge.common.internal.BridgeProperties.TYPE;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.Priority;
import io.chronofabric.bridge.common.internal.BadEventException;
import io.chronofabric.bridge.common.internal.TopicNames;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Packets to Typed Event data and back. Immutable and thread-safe.
 *
 * <p>Outbound, the event data is a Map (the Typed Event bus converts it to the type each
 * handler asks for): a Map payload is copied (keys as strings); a DTO (public instance fields)
 * or a record gives its fields; a scalar (text, number, boolean, character, enum) goes under
 * {@code payload}. The bridge adds {@code cf.channel}, {@code cf.type}, {@code cf.priority},
 * {@code cf.hlc}, {@code cf.msgid} and the origin marker {@code cf.origin}; a DTO handler ignores
 * keys it has no field for.
 *
 * <p>Inbound, the packet's payload is the event data as an unmodifiable Map, on the channel
 * derived from the topic (prefix stripped, levels joined by dots); {@code cf.priority} and
 * {@code cf.hlc} are read when present.
 */
final class TypedConverter {

    private final String origin;
    private final String topicPrefix;
    private final RoutingMetadata[] routings;

    TypedConverter(String origin, String topicPrefix, ComponentId source, DeliveryOptions delivery) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.topicPrefix = Objects.requireNonNull(topicPrefix, "topicPrefix");
        this.routings = new RoutingMetadata[Priority.LEVELS];
        for (int i = 0; i < routings.length; i++) {
            routings[i] = new RoutingMetadata(source, RoutingMetadata.NO_TASK, ComponentId.ALL, Priority.ofLevel(i),
                    RoutingMetadata.NO_DEADLINE, 0, delivery);
        }
    }

    String origin() {
        return origin;
    }

    String topicFor(String channel) {
        return TopicNames.topicFor(topicPrefix, channel);
    }

    boolean isOwn(PhasePacket<?> packet) {
        return packet.routing() == routings[packet.priority().level()];
    }

    boolean isOwn(Map<String, ?> data) {
        return origin.equals(data.get(ORIGIN));
    }

    /** The LDAP filter that keeps this bridge's own events from its inbound handler. */
    String notOwnFilter() {
        return "(!(" + ORIGIN + "=" + escape(origin) + "))";
    }

    /**
     * The event data for a received packet.
     *
     * @throws BadEventException if the payload is neither a Map, a DTO, a record nor a scalar
     */
    Map<String, Object> toEventData(PhasePacket<?> packet) throws BadEventException {
        Object payload = packet.payload();
        Map<String, Object> data = new LinkedHashMap<>();
        if (payload instanceof Map<?, ?> map) {
            map.forEach((k, v) -> data.put(String.valueOf(k), v));
        } else if (isScalar(payload)) {
            data.put(PAYLOAD, payload);
        } else if (payload instanceof Record r) {
            recordFields(r, data);
        } else if (!dtoFields(payload, data)) {
            throw new BadEventException("payload type " + payload.getClass().getName()
                    + " is not a Map, a DTO (public fields), a record or a scalar");
        }
        if (packet.channel() != null) {
            data.put(CHANNEL, packet.channel());
        }
        data.put(TYPE, payload.getClass().getName());
        data.put(PRIORITY, packet.priority().name());
        if (packet.timestamp() != null) {
            data.put(HLC, packet.timestamp().toString());
        }
        if (packet.isStamped()) {
            data.put(MESSAGE_ID, packet.messageId().toString());
        }
        data.put(ORIGIN, origin);
        return data;
    }

    /**
     * The packet for an event (not yet published).
     *
     * @throws BadEventException naming what cannot become part of a packet
     */
    PhasePacket<Object> toPacket(String topic, Map<String, ?> data) throws BadEventException {
        if (data == null) {
            throw new BadEventException("no event data");
        }
        String channel;
        try {
            channel = TopicNames.channelFor(topicPrefix, topic);
        } catch (IllegalArgumentException e) {
            throw new BadEventException("no channel from the topic: " + e.getMessage());
        }
        Priority priority = Priority.NORMAL;
        Object p = data.get(PRIORITY);
        if (p != null) {
            if (!(p instanceof String s)) {
                throw new BadEventException("'" + PRIORITY + "' is a " + p.getClass().getName() + ", expected a priority name");
            }
            try {
                priority = Priority.parse(s);
            } catch (IllegalArgumentException e) {
                throw new BadEventException("'" + PRIORITY + "': " + e.getMessage());
            }
        }
        Map<String, Object> payload = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        return PhasePacket.of(payload, Channels.requireValid(channel), routings[priority.level()]);
    }

    /**
     * The HLC time the data carries, or null.
     *
     * @throws BadEventException if {@code cf.hlc} is present and is not a timestamp
     */
    static LogicalTime hlcOf(Map<String, ?> data) throws BadEventException {
        Object value = data.get(HLC);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new BadEventException("'" + HLC + "' is a " + value.getClass().getName() + ", expected physical.logical@node");
        }
        try {
            return LogicalTime.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadEventException("'" + HLC + "': " + e.getMessage());
        }
    }

    private static boolean isScalar(Object o) {
        return o instanceof CharSequence || o instanceof Number || o instanceof Boolean || o instanceof Character
                || o instanceof Enum<?>;
    }

    private static void recordFields(Record r, Map<String, Object> data) throws BadEventException {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                data.put(c.getName(), c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new BadEventException("record " + r.getClass().getName() + ": cannot read " + c.getName() + ": " + e);
            }
        }
    }

    /** A DTO's public instance fields; false if it has none. */
    private static boolean dtoFields(Object o, Map<String, Object> data) throws BadEventException {
        boolean any = false;
        for (Field f : o.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                data.put(f.getName(), f.get(o));
                any = true;
            } catch (IllegalAccessException | RuntimeException e) {
                throw new BadEventException("DTO " + o.getClass().getName() + ": cannot read " + f.getName() + ": " + e);
            }
        }
        return any;
    }

    private static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '*' || c == '(' || c == ')' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
