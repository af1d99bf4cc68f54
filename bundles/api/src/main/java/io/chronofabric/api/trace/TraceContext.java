package io.chronofabric.api.trace;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context (https://www.w3.org/TR/trace-context/, version 00): a 128-bit trace id, the
 * 64-bit id of the span that caused this one (the parent) and the flags (bit 0: sampled).
 * Immutable.
 *
 * @param traceIdHigh the trace id's first 64 bits
 * @param traceIdLow the trace id's last 64 bits (the id is never all zero)
 * @param spanId the parent span's id, never 0
 * @param flags the trace flags byte (0x01: sampled)
 */
public record TraceContext(long traceIdHigh, long traceIdLow, long spanId, int flags) {

    /** Trace flag: the caller recorded (or wants recorded) this trace. */
    public static final int SAMPLED = 0x01;

    public TraceContext {
        if (traceIdHigh == 0 && traceIdLow == 0) {
            throw new IllegalArgumentException("A trace id must not be all zero");
        }
        if (spanId == 0) {
            throw new IllegalArgumentException("A span id must not be zero");
        }
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("Trace flags must be one byte, got " + flags);
        }
    }

    /** A new sampled trace with random ids (a root: its span id names the root span). */
    public static TraceContext newRoot() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi;
        long lo;
        do {
            hi = r.nextLong();
            lo = r.nextLong();
        } while (hi == 0 && lo == 0);
        return new TraceContext(hi, lo, newSpanId(), SAMPLED);
    }

    /** A random, non-zero span id. */
    public static long newSpanId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /**
     * The id of the publish span the bus records for a packet with this context and message id:
     * derived from both (so the bus keeps no state per packet, and anyone can name that span).
     */
    public static long publishSpanId(long messageId, TraceContext context) {
        long z = messageId * 0x9E3779B97F4A7C15L ^ context.traceIdLow() ^ Long.rotateLeft(context.traceIdHigh(), 17);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) | 1L;
    }

    /** The same trace, with {@code spanId} as the parent of what follows. */
    public TraceContext withSpan(long newSpanId) {
        return new TraceContext(traceIdHigh, traceIdLow, newSpanId, flags);
    }

    public boolean sampled() {
        return (flags & SAMPLED) != 0;
    }

    /** The trace id as 32 lower-case hex digits. */
    public String traceId() {
        return hex16(traceIdHigh) + hex16(traceIdLow);
    }

    /** The parent span id as 16 lower-case hex digits. */
    public String spanIdHex() {
        return hex16(spanId);
    }

    /** The {@code traceparent} header value: {@code 00-<trace id>-<span id>-<flags>}. */
    public String traceparent() {
        return "00-" + traceId() + "-" + spanIdHex() + "-" + String.format(Locale.ROOT, "%02x", flags);
    }

    @Override
    public String toString() {
        return traceparent();
    }

    /**
     * Parses a {@code traceparent} value (version 00; a later version is read by its first four
     * fields, as the specification asks).
     *
     * @throws IllegalArgumentException naming what is wrong (field count, length, hex digits, an
     *         all-zero id, version ff)
     */
    public static TraceContext parse(String traceparent) {
        if (traceparent == null) {
            throw new IllegalArgumentException("traceparent is null");
        }
        String t = traceparent.trim();
        String[] f = t.split("-", -1);
        if (f.length < 4) {
            throw new IllegalArgumentException("traceparent '" + traceparent + "' needs 4 fields separated by '-' "
                    + "(version-traceid-parentid-flags), got " + f.length);
        }
        if (f[0].length() != 2 || !isHex(f[0])) {
            throw new IllegalArgumentException("traceparent '" + traceparent + "': version must be 2 hex digits, got '" + f[0] + "'");
        }
        if (f[0].equalsIgnoreCase("ff")) {
            throw new IllegalArgumentException("traceparent '" + traceparent + "': version ff is invalid");
        }
        if (f[0].equals("00") && f.length != 4) {
            throw new IllegalArgumentException("traceparent '" + traceparent + "': version 00 has exactly 4 fields, got " + f.length);
        }
        if (f[1].length() != 32 || !isHex(f[1])) {
            throw new IllegalArgumentException("traceparent '" + traceparent + "': trace id must be 32 hex digits, got '" + f[1] + "'");
        }
        if (f[2].length() != 16 || !isHex(f[2])) {
            throw new IllegalArgumentException("traceparent '" + traceparent + "': parent id must be 16 hex digits, got '" + f[2] + "'");
        }
        if (f[3].length() != 2 || !isHex(f[3])) {
            throw new IllegalArgumentException("traceparent '" + traceparent + "': flags must be 2 hex digits, got '" + f[3] + "'");
        }
        long hi = Long.parseUnsignedLong(f[1].substring(0, 16), 16);
        long lo = Long.parseUnsignedLong(f[1].substring(16), 16);
        long span = Long.parseUnsignedLong(f[2], 16);
        if (hi == 0 && lo == 0) {
            throw new IllegalArgumentException("traceparent '" + traceparent + "': the trace id is all zero");
        }
        if (span == 0) {
            throw new IllegalArgumentException("traceparent '" + traceparent + "': the parent id is all zero");
        }
        return new TraceContext(hi, lo, span, Integer.parseInt(f[3], 16));
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    static String hex16(long v) {
        String h = Long.toHexString(v);
        return "0000000000000000".substring(h.length()) + h;
    }
}
