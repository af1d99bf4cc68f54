package io.chronofabric.time.internal;

import java.util.Map;
import java.util.function.Supplier;

/** Reads typed configuration values and turns a bad one into a message naming key and value. */
final class ConfigValues {

    private ConfigValues() {
    }

    /**
     * Reads {@code key} through the typed accessor; if the value cannot be converted, throws an
     * {@link IllegalArgumentException} naming the key and the raw value.
     */
    static <T> T read(Map<String, ?> raw, String key, Supplier<T> typed, String expected) {
        try {
            return typed.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + "=" + raw.get(key) + " is not " + expected);
        }
    }

    static String describe(Map<String, ?> raw, String key) {
        Object v = raw.get(key);
        return key + "=" + (v == null ? "(default)" : v);
    }
}
