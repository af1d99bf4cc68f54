package io.chronofabric.api.bus;

/**
 * A snapshot of one subscription, for tools and the console.
 *
 * @param id          subscription id
 * @param type        payload type name
 * @param channel     channel, or null for typed routing
 * @param componentId declared component id, or -1
 * @param origin      {@code whiteboard} or {@code programmatic}
 * @param owner       who subscribed (bundle symbolic name, or a description)
 * @param queued      packets queued now
 * @param capacity    queue capacity
 * @param delivered   packets delivered so far
 * @param dropped     packets dropped for this subscriber so far
 */
public record SubscriptionInfo(SubscriptionId id, String type, String channel, int componentId, String origin,
        String owner, int queued, int capacity, long delivered, long dropped) {
}
