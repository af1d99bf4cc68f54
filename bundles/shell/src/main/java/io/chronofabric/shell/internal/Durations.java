package io.chronofabric.shell.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations typed at the console: {@code 250ns}, {@code 10us}, {@code 5ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");

    private Durations() {
    }

    /** @throws IllegalArgumentException naming the text and the accepted forms */
    static long parseNanos(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a whole number with ns, us, ms, s, m or h (e.g. 5ms)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration", e);
        }
        long unit = switch (m.group(2)) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration", e);
        }
    }

    /** Formats nanoseconds with the largest unit that keeps three significant digits. */
    static String format(long nanos) {
        long abs = Math.abs(nanos);
        if (abs < 1_000) {
            return nanos + " ns";
        } else if (abs < 1_000_000) {
            return String.format(Locale.ROOT, "%.2f us", nanos / 1e3);
        } else if (abs < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}
