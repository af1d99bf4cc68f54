package io.chronofabric.bridge.common.internal;

import io.chronofabric.api.bus.Channels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The configured outbound channels: exact names, and patterns ending in {@code *} (a prefix:
 * {@code sensors.*} matches {@code sensors.temp}; {@code *} alone matches every channel). A
 * pattern never matches the dead-letter channel; name it exactly to bridge it. Immutable.
 */
public final class ChannelPatterns {

    private final Set<String> exact;
    private final List<String> prefixes;

    private ChannelPatterns(Set<String> exact, List<String> prefixes) {
        this.exact = Set.copyOf(exact);
        this.prefixes = List.copyOf(prefixes);
    }

    /**
     * Parses entries (each may hold several, comma separated).
     *
     * @param problems receives one line per refused entry, naming it and why
     */
    public static ChannelPatterns parse(String[] entries, List<String> problems) {
        Set<String> exact = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String entry : entries) {
            for (String part : entry.split(",")) {
                String name = part.trim();
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    Channels.requireValid(name);
                } catch (IllegalArgumentException e) {
                    problems.add("channel '" + name + "': " + e.getMessage());
                    continue;
                }
                int star = name.indexOf('*');
                if (star < 0) {
                    exact.add(name);
                } else if (star == name.length() - 1) {
                    prefixes.add(name.substring(0, star));
                } else {
                    problems.add("channel pattern '" + name + "': '*' may only end a pattern");
                }
            }
        }
        return new ChannelPatterns(exact, prefixes);
    }

    public Set<String> exact() {
        return exact;
    }

    public boolean hasPatterns() {
        return !prefixes.isEmpty();
    }

    public boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }

    /** Whether {@code channel} is named exactly or matched by a pattern. */
    public boolean matches(String channel) {
        if (exact.contains(channel)) {
            return true;
        }
        if (Channels.DEAD_LETTER.equals(channel)) {
            return false;
        }
        for (String p : prefixes) {
            if (channel.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(exact);
        prefixes.forEach(p -> all.add(p + "*"));
        return all.toString();
    }
}
