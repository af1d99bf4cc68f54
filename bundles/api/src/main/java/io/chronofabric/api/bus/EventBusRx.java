package io.chronofabric.api.bus;

import io.chronofabric.api.core.SubscriptionNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Subscribing side of the bus, plus channel management. Thread-safe.
 */
@ProviderType
public interface EventBusRx {

    /** Subscribes as described; the receiver queues matching packets until closed. */
    <T> Receiver<T> subscribe(Subscription<T> subscription);

    /** Packets whose payload is an instance of {@code type}, published without channel. */
    default <T> Receiver<T> subscribe(Class<T> type) {
        return subscribe(Subscription.to(type));
    }

    /** As {@link #subscribe(Class)}, keeping only packets {@code filter} accepts. */
    default <T> Receiver<T> subscribeFiltered(Class<T> type, Predicate<? super PhasePacket<T>> filter) {
        return subscribe(Subscription.to(type).filtered(filter));
    }

    /** Every packet published on {@code channel}. */
    default Receiver<Object> subscribeChannel(String channel) {
        return subscribe(Subscription.toChannel(channel));
    }

    /**
     * Ends a subscription (whiteboard or programmatic).
     *
     * @throws SubscriptionNotFoundException if no such subscription is active
     */
    void unsubscribe(SubscriptionId id);

    List<SubscriptionInfo> activeSubscriptions();

    int subscriptionCount();

    /** Active subscriptions per payload type name (typed routing) and per {@code channel:NAME}. */
    Map<String, Integer> subscriptionCounts();

    /** Channels known to the bus: subscribed, published to, or linked. */
    Set<String> channels();

    /**
     * Forwards every packet published on {@code from} to {@code to} as well (the seed's
     * {@code create_channel(from, to)}).
     *
     * @throws IllegalArgumentException if either name is invalid, {@code from} is unknown, or
     *         the link would close a loop (the message names the loop)
     */
    void linkChannels(String from, String to);

    /** @return whether such a link existed */
    boolean unlinkChannels(String from, String to);

    /** Links as {@code from -> [to...]}. */
    Map<String, Set<String>> channelLinks();
}
