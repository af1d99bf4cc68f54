package io.chronofabric.clogic.internal;

import io.chronofabric.api.bus.Channels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One configured link {@code from->to}. */
record LinkSpec(String from, String to) {

    LinkSpec {
        Channels.requireValid(from);
        Channels.requireValid(to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("Link " + from + "->" + to + " loops onto itself");
        }
    }

    /**
     * Parses {@code from->to} entries, each element possibly comma separated; duplicates are kept
     * once, in first-seen order.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    static List<LinkSpec> parseAll(String[] entries) {
        Set<LinkSpec> specs = new LinkedHashSet<>();
        if (entries != null) {
            for (String element : entries) {
                if (element == null) {
                    continue;
                }
                for (String part : element.split(",")) {
                    String t = part.trim();
                    if (!t.isEmpty()) {
                        specs.add(parse(t));
                    }
                }
            }
        }
        return List.copyOf(new ArrayList<>(specs));
    }

    static LinkSpec parse(String text) {
        int arrow = text.indexOf("->");
        if (arrow < 0) {
            throw new IllegalArgumentException("Link '" + text + "' is not of the form from->to");
        }
        try {
            return new LinkSpec(text.substring(0, arrow).trim(), text.substring(arrow + 2).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Link '" + text + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return from + "->" + to;
    }
}
