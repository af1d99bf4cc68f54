package io.chronofabric.api.clogic;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One input of a module: a channel and how a number is taken from its payloads. Written in a
 * module's configuration (key {@code inputs}, one entry per binding) as {@code CHANNEL} or
 * {@code CHANNEL=EXTRACTION}, e.g. {@code drpp.input=sample}, {@code sensors=field:power}; see
 * {@link ValueExtraction#parse}. Immutable.
 *
 * @param channel    a valid bus channel name
 * @param extraction how the number is taken, never null
 * @throws IllegalArgumentException naming a bad channel name
 */
public record InputBinding(String channel, ValueExtraction extraction) {

    public InputBinding {
        Checks.name("Input channel", channel);
        if (channel.length() > 200) {
            throw new IllegalArgumentException("Input channel '" + channel.substring(0, 20) + "...' is longer than 200");
        }
        Objects.requireNonNull(extraction, "extraction");
    }

    /**
     * Parses {@code CHANNEL} or {@code CHANNEL=EXTRACTION}.
     *
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static InputBinding parse(String entry) {
        Objects.requireNonNull(entry, "input binding");
        String t = entry.trim();
        int eq = t.indexOf('=');
        try {
            if (eq < 0) {
                return new InputBinding(t, ValueExtraction.auto());
            }
            return new InputBinding(t.substring(0, eq).trim(), ValueExtraction.parse(t.substring(eq + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Input '" + entry + "': " + e.getMessage(), e);
        }
    }

    /**
     * Parses every entry, each of which may hold several bindings separated by commas (a Karaf
     * {@code .cfg} line {@code inputs = a=sample, b=number} reaches a component as one string);
     * blank entries are ignored.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static List<InputBinding> parseAll(String... entries) {
        List<InputBinding> list = new ArrayList<>();
        if (entries != null) {
            for (String e : entries) {
                if (e == null) {
                    continue;
                }
                for (String part : e.split(",")) {
                    if (!part.isBlank()) {
                        list.add(parse(part));
                    }
                }
            }
        }
        return List.copyOf(list);
    }

    /** The configuration form, {@code CHANNEL=EXTRACTION}. */
    @Override
    public String toString() {
        return channel + "=" + extraction;
    }
}
