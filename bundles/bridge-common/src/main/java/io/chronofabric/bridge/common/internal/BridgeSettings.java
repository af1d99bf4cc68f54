package io.chronofabric.bridge.common.internal;

import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.core.ComponentId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The configuration keys both bridges have, checked: outbound channels and their pattern refresh,
 * the topic prefix, inbound topics, inbound delivery, source component and origin marker. What is
 * refused goes to the caller's problem list (one line naming the key and the value used instead).
 * Immutable.
 *
 * @param channels       outbound channels and patterns
 * @param refreshMillis  how often patterns are matched against the bus's channels
 * @param prefix         the topic prefix, a valid topic
 * @param inboundTopics  topics and topic patterns whose events become packets
 * @param delivery       the delivery options of inbound packets
 * @param source         the component id inbound packets name as source
 * @param origin         the origin marker of what this bridge makes
 */
public record BridgeSettings(ChannelPatterns channels, long refreshMillis, String prefix, List<String> inboundTopics,
        DeliveryOptions delivery, ComponentId source, String origin) {

    /** The default topic prefix, used when the configured one is not a valid topic. */
    public static final String DEFAULT_PREFIX = "chronofabric";

    public BridgeSettings {
        inboundTopics = List.copyOf(inboundTopics);
    }

    /**
     * Checks the common keys (the names are those of both bridges' configurations).
     *
     * @param frameworkOrigin the origin used when {@code originId} is empty
     * @param problems        receives one line per refused value
     */
    public static BridgeSettings parse(String[] outboundChannels, long refreshMillis, String topicPrefix, String[] inboundTopics,
            String inboundDelivery, int inboundRetries, int sourceComponent, String originId, String frameworkOrigin,
            List<String> problems) {
        ChannelPatterns channels = ChannelPatterns.parse(outboundChannels, problems);
        long refresh = refreshMillis;
        if (refresh < 100 || refresh > 60_000) {
            problems.add("outbound.pattern.refresh.ms=" + refresh + " is not in 100..60000; using 1000");
            refresh = 1000;
        }
        String prefix = topicPrefix.trim();
        if (!TopicNames.isValidTopic(prefix)) {
            problems.add("topic.prefix='" + prefix + "' is not a valid topic (tokens of letters, digits, _ and -, "
                    + "separated by /); using " + DEFAULT_PREFIX);
            prefix = DEFAULT_PREFIX;
        }
        List<String> topics = new ArrayList<>();
        for (String entry : inboundTopics) {
            for (String part : entry.split(",")) {
                String t = part.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (TopicNames.isValidTopicPattern(t)) {
                    topics.add(t);
                } else {
                    problems.add("inbound.topics entry '" + t + "' is not a topic, topic/* or *");
                }
            }
        }
        int retries = inboundRetries;
        if (retries < 0 || retries > 255) {
            problems.add("inbound.retries=" + retries + " is not in 0..255; using 3");
            retries = 3;
        }
        DeliveryOptions delivery;
        switch (inboundDelivery.trim().toLowerCase(Locale.ROOT)) {
            case "best-effort" -> delivery = DeliveryOptions.BEST_EFFORT;
            case "guaranteed" -> delivery = DeliveryOptions.guaranteed(retries);
            default -> {
                problems.add("inbound.delivery='" + inboundDelivery + "' is not best-effort or guaranteed; using best-effort");
                delivery = DeliveryOptions.BEST_EFFORT;
            }
        }
        ComponentId source = ComponentId.SYSTEM;
        try {
            source = ComponentId.of(sourceComponent);
        } catch (IllegalArgumentException e) {
            problems.add("inbound.source.component: " + e.getMessage() + "; using 0");
        }
        String origin = originId.trim();
        if (origin.isEmpty()) {
            origin = frameworkOrigin;
        }
        return new BridgeSettings(channels, refresh, prefix, topics, delivery, source, origin);
    }

    /** Whether a converter made with these settings differs from one made with {@code old}'s. */
    public boolean convertsDifferentlyFrom(BridgeSettings old) {
        return !origin.equals(old.origin) || !prefix.equals(old.prefix) || !delivery.equals(old.delivery) || !source.equals(old.source);
    }
}
