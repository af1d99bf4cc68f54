package io.chronofabric.web.internal;

import java.util.Collection;
import java.util.Map;

/** A small JSON writer (objects, arrays, strings, numbers, booleans); no dependency. Not thread-safe. */
final class Json {

    private final StringBuilder out = new StringBuilder(512);
    private boolean needComma;

    Json beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    Json beginArray() {
        comma();
        out.append('[');
        needComma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    /** Writes a key; the next value call writes its value. */
    Json key(String name) {
        comma();
        string(name);
        out.append(':');
        needComma = false;
        return this;
    }

    Json value(String s) {
        comma();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        needComma = true;
        return this;
    }

    Json value(long n) {
        comma();
        out.append(n);
        needComma = true;
        return this;
    }

    Json value(double d) {
        comma();
        if (Double.isFinite(d)) {
            out.append(d);
        } else {
            out.append("null");
        }
        needComma = true;
        return this;
    }

    Json value(boolean b) {
        comma();
        out.append(b);
        needComma = true;
        return this;
    }

    /** Writes an already encoded JSON value. */
    Json raw(String encoded) {
        comma();
        out.append(encoded);
        needComma = true;
        return this;
    }

    Json nullValue() {
        comma();
        out.append("null");
        needComma = true;
        return this;
    }

    Json field(String name, String v) {
        return key(name).value(v);
    }

    Json field(String name, long v) {
        return key(name).value(v);
    }

    Json field(String name, double v) {
        return key(name).value(v);
    }

    Json field(String name, boolean v) {
        return key(name).value(v);
    }

    Json stringArray(String name, Collection<String> values) {
        key(name).beginArray();
        for (String v : values) {
            value(v);
        }
        return endArray();
    }

    Json numberMap(String name, Map<String, ? extends Number> values) {
        key(name).beginObject();
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            key(e.getKey()).value(e.getValue().longValue());
        }
        return endObject();
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // keep "</script>" and friends harmless if a value ever lands in HTML
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A one-field error object: {@code {"error": message, "status": code}}. */
    static String error(int status, String message) {
        return new Json().beginObject().field("status", status).field("error", message).endObject().toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
