package io.chronofabric.api.bus;

import io.chronofabric.api.core.ComponentId;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a subscriber wants: a payload type, optionally a channel, a component id for target
 * masks, and a filter. Immutable.
 *
 * @param type        payload type; packets whose payload is an instance of it match
 * @param channel     channel name, or null for typed routing (packets published without channel)
 * @param componentId the component id targeted packets must select, or null to receive only
 *                    packets whose target mask is {@link ComponentId#ALL}
 * @param filter      extra predicate evaluated by the bus before queuing; a filter that throws
 *                    counts as a failed delivery for that packet and never stops the bus
 * @param <T> payload type
 */
public record Subscription<T>(Class<T> type, String channel, ComponentId componentId,
        Predicate<? super PhasePacket<T>> filter) {

    public Subscription {
        Objects.requireNonNull(type, "type");
        if (channel != null) {
            Channels.requireValid(channel);
        }
        Objects.requireNonNull(filter, "filter");
    }

    public static <T> Subscription<T> to(Class<T> type) {
        return new Subscription<>(type, null, null, p -> true);
    }

    public static Subscription<Object> toChannel(String channel) {
        return new Subscription<>(Object.class, channel, null, p -> true);
    }

    public Subscription<T> onChannel(String name) {
        return new Subscription<>(type, name, componentId, filter);
    }

    public Subscription<T> as(ComponentId id) {
        return new Subscription<>(type, channel, id, filter);
    }

    public Subscription<T> filtered(Predicate<? super PhasePacket<T>> predicate) {
        return new Subscription<>(type, channel, componentId, predicate);
    }
}
