package io.chronofabric.api.clogic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Validation shared by the records of this package; not exported API (package private). */
final class Checks {

    private Checks() {
    }

    static String name(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " '" + value + "' contains whitespace or a control character at " + i);
            }
        }
        return value;
    }

    static double finite(String what, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " is " + value + ": it must be a finite number");
        }
        return value;
    }

    static double range(String what, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(what + " " + value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    static long nonNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " " + value + " is negative");
        }
        return value;
    }

    /** An unmodifiable copy in the caller's order, keys named and values finite. */
    static Map<String, Double> values(String what, Map<String, Double> values) {
        Objects.requireNonNull(values, what);
        Map<String, Double> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            name(what + " key", k);
            if (v == null) {
                throw new IllegalArgumentException(what + " '" + k + "' is null");
            }
            finite(what + " '" + k + "'", v);
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    static List<String> names(String what, List<String> names) {
        Objects.requireNonNull(names, what);
        for (String n : names) {
            name(what + " entry", n);
        }
        return List.copyOf(names);
    }
}
