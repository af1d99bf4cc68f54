package io.chronofabric.bridge.common.internal;

import io.chronofabric.api.bus.Channels;

/**
 * Maps bus channel names to Event Admin and Typed Event topics and back (both use the Event Admin
 * topic grammar).
 *
 * <p>A topic is {@code token ('/' token)*} with tokens of letters, digits, {@code _} and {@code -}
 * (OSGi Compendium 113.3.1). A channel becomes {@code <prefix>/<tokens>}: its dots and slashes
 * separate tokens (so {@code sensors.temp} is {@code chronofabric/sensors/temp} and an Event Admin
 * subscriber of {@code chronofabric/sensors/*} gets every sensor channel), every other character
 * that a token may not hold becomes {@code _}, and an empty token becomes {@code _}. The reverse
 * mapping (a topic to a channel) strips the prefix and joins the tokens with dots, so a channel
 * made of valid tokens survives the round trip.
 *
 * <p>Part of the bridges' private library: each bridge embeds its own copy (bnd
 * {@code -conditionalpackage}); no bundle exports it.
 */
public final class TopicNames {

    private TopicNames() {
    }

    /** The topic for {@code channel} under {@code prefix} (itself a valid topic). */
    public static String topicFor(String prefix, String channel) {
        StringBuilder b = new StringBuilder(prefix.length() + 1 + channel.length());
        b.append(prefix).append('/');
        int tokenStart = b.length();
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            if (c == '.' || c == '/') {
                if (b.length() == tokenStart) {
                    b.append('_');
                }
                b.append('/');
                tokenStart = b.length();
            } else {
                b.append(isTokenChar(c) ? c : '_');
            }
        }
        if (b.length() == tokenStart) {
            b.append('_');
        }
        return b.toString();
    }

    /**
     * The channel an Event on {@code topic} goes to when it names none: the topic without
     * {@code prefix/} (when it starts with it), its tokens joined with dots.
     *
     * @throws IllegalArgumentException if the result is not a valid channel name
     */
    public static String channelFor(String prefix, String topic) {
        String rest = topic.length() > prefix.length() && topic.startsWith(prefix) && topic.charAt(prefix.length()) == '/'
                ? topic.substring(prefix.length() + 1)
                : topic;
        return Channels.requireValid(rest.replace('/', '.'));
    }

    /** Whether {@code topic} is a valid topic (no wildcard). */
    public static boolean isValidTopic(String topic) {
        if (topic == null || topic.isEmpty()) {
            return false;
        }
        int tokenLength = 0;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '/') {
                if (tokenLength == 0) {
                    return false;
                }
                tokenLength = 0;
            } else if (isTokenChar(c)) {
                tokenLength++;
            } else {
                return false;
            }
        }
        return tokenLength > 0;
    }

    /**
     * Whether {@code pattern} is a valid subscription: {@code *}, a topic, or a topic followed by
     * {@code /*}.
     */
    public static boolean isValidTopicPattern(String pattern) {
        if ("*".equals(pattern)) {
            return true;
        }
        if (pattern != null && pattern.endsWith("/*")) {
            return isValidTopic(pattern.substring(0, pattern.length() - 2));
        }
        return isValidTopic(pattern);
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
