package io.chronofabric.clogic.egc.internal;

import java.util.Locale;

/** How robustness values are written (kept apart from the commands: those need the Karaf shell, this does not). */
final class Numbers {
    private Numbers() { }

    /** Full precision; inf/-inf; whole numbers without ".0". */
    static String format(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** For tables and reasons: inf/-inf, whole numbers as such, others with 6 significant digits. */
    static String brief(double v) {
        if (Double.isInfinite(v) || (v == Math.rint(v) && Math.abs(v) < 1e15)) {
            return format(v);
        }
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
