package io.chronofabric.network.internal;

import io.chronofabric.api.clogic.AffectState;
import io.chronofabric.api.clogic.AppraisalEvent;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.InputBinding;
import io.chronofabric.api.clogic.LinkStatus;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.ModuleMetrics;
import io.chronofabric.api.clogic.ModuleState;
import io.chronofabric.api.clogic.Pad;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.clogic.ValueExtraction;
import io.chronofabric.api.network.PayloadCodec;
import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.StoredEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Built-in codecs for the C-LOGIC records (io.chronofabric.api.clogic) and the small event records of
 * io.chronofabric.api.patterns. Layout: fields in record order, big-endian; a double as its 8 IEEE bits
 * ({@link Double#doubleToRawLongBits}, so NaN and infinities come back as they went), a long as 8 bytes,
 * a boolean as one byte 0/1, a string as {@code [int n][n UTF-8 bytes]}, an enum as its name (a string,
 * so reordering constants does not change the meaning), a list as {@code [int n]} then its elements, a
 * map as {@code [int n]} then key, value pairs in iteration order. A frame that ends early, claims more
 * than it holds, or has bytes left over is refused with an {@link IllegalArgumentException} naming the
 * wire name and the type; so is a frame whose values the record itself refuses.
 */
final class RecordCodecs {

    private RecordCodecs() {
    }

    static List<PayloadCodec<?>> all() {
        return List.of(
                codec(Sample.class, "chronofabric.clogic.Sample/1", (s, o) -> o.str(s.stream()).dbl(s.value()).lng(s.timeNanos()),
                        i -> new Sample(i.str(), i.dbl(), i.lng())),
                codec(Pad.class, "chronofabric.clogic.Pad/1", (p, o) -> pad(o, p), RecordCodecs::pad),
                codec(PatternEvent.class, "chronofabric.clogic.PatternEvent/1",
                        (e, o) -> o.str(e.kind().name()).strs(e.streams()).values(e.values()).lng(e.timeNanos()).str(e.detail()),
                        i -> new PatternEvent(i.enumeration(PatternKind.class), i.strs(), i.values(), i.lng(), i.str())),
                codec(GovernanceDecision.class, "chronofabric.clogic.GovernanceDecision/1",
                        (d, o) -> o.str(d.module()).str(d.analysis()).str(d.action().name()).dbl(d.value()).str(d.reason())
                                .lng(d.timeNanos()).str(d.spec()).dbl(d.robustness()).str(d.rule()),
                        i -> new GovernanceDecision(i.str(), i.str(), i.enumeration(GovernanceAction.class), i.dbl(), i.str(), i.lng(),
                                i.str(), i.dbl(), i.str())),
                codec(Modulation.class, "chronofabric.clogic.Modulation/1",
                        (m, o) -> pad(o.str(m.source()), m.pad()).str(m.dominantEmotion()).dbl(m.intensity()).lng(m.timeNanos()),
                        i -> new Modulation(i.str(), pad(i), i.str(), i.dbl(), i.lng())),
                codec(ModuleMetrics.class, "chronofabric.clogic.ModuleMetrics/1",
                        (m, o) -> o.str(m.module()).values(m.values()).lng(m.timeNanos()),
                        i -> new ModuleMetrics(i.str(), i.values(), i.lng())),
                codec(AppraisalEvent.class, "chronofabric.clogic.AppraisalEvent/1",
                        (a, o) -> o.str(a.agent()).str(a.goal()).dbl(a.utility()).dbl(a.likelihoodDelta()).str(a.causalAgent())
                                .lng(a.timeNanos()),
                        i -> new AppraisalEvent(i.str(), i.str(), i.dbl(), i.dbl(), i.str(), i.lng())),
                codec(AffectState.class, "chronofabric.clogic.AffectState/1",
                        (a, o) -> pad(pad(pad(o.str(a.agent()).values(a.emotions()), a.emotionPad()), a.mood()), a.defaultMood())
                                .str(a.dominantEmotion()).dbl(a.intensity()).lng(a.timeNanos()),
                        i -> new AffectState(i.str(), i.values(), pad(i), pad(i), pad(i), i.str(), i.dbl(), i.lng())),
                codec(LinkStatus.class, "chronofabric.clogic.LinkStatus/1",
                        (l, o) -> o.str(l.from()).str(l.to()).bool(l.active()).lng(l.forwarded()).str(l.problem()),
                        i -> new LinkStatus(i.str(), i.str(), i.bool(), i.lng(), i.str())),
                codec(ModuleState.class, "chronofabric.clogic.ModuleState/1", (s, o) -> {
                    o.str(s.module()).str(s.activity()).count(s.inputs().size());
                    for (InputBinding b : s.inputs()) {
                        o.str(b.channel()).str(b.extraction().toString());
                    }
                    o.lng(s.processed()).lng(s.skipped()).lng(s.backlog()).lng(s.lagNanos()).values(s.metrics());
                }, i -> {
                    String module = i.str();
                    String activity = i.str();
                    int n = i.count(8);
                    List<InputBinding> inputs = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        inputs.add(new InputBinding(i.str(), ValueExtraction.parse(i.str())));
                    }
                    return new ModuleState(module, activity, inputs, i.lng(), i.lng(), i.lng(), i.lng(), i.values());
                }),
                codec(EventData.class, "chronofabric.patterns.EventData/1", (e, o) -> o.str(e.type()).bytes(e.data()),
                        i -> new EventData(i.str(), i.bytes())),
                codec(StoredEvent.class, "chronofabric.patterns.StoredEvent/1",
                        (e, o) -> o.str(e.stream()).lng(e.version()).lng(e.ledgerIndex()).str(e.type()).bytes(e.data()),
                        i -> new StoredEvent(i.str(), i.lng(), i.lng(), i.str(), i.bytes())));
    }

    private static Out pad(Out o, Pad p) {
        return o.dbl(p.pleasure()).dbl(p.arousal()).dbl(p.dominance());
    }

    private static Pad pad(In i) {
        return new Pad(i.dbl(), i.dbl(), i.dbl());
    }

    static <T> PayloadCodec<T> codec(Class<T> type, String name, BiConsumer<T, Out> enc, Function<In, T> dec) {
        return CodecRegistry.codec(type, name, p -> {
            if (p == null) {
                throw new IllegalArgumentException("Payload codec " + name + " cannot encode null");
            }
            Out o = new Out();
            try {
                enc.accept(p, o);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Payload of type " + type.getName() + " (" + name + ") cannot be encoded: "
                        + e.getMessage(), e);
            }
            return o.toArray();
        }, bytes -> {
            if (bytes == null) {
                throw new IllegalArgumentException("Payload codec " + name + " cannot decode null (" + type.getName() + ")");
            }
            In in = new In(bytes);
            T value;
            try {
                value = dec.apply(in);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Payload of " + bytes.length + " bytes is not a valid " + type.getName() + " ("
                        + name + "): " + e.getMessage(), e);
            }
            if (in.buf.hasRemaining()) {
                throw new IllegalArgumentException("Payload of " + bytes.length + " bytes is not a valid " + type.getName() + " ("
                        + name + "): " + in.buf.remaining() + " trailing bytes after the record");
            }
            return value;
        });
    }

    /** A growing big-endian buffer. */
    static final class Out {
        private ByteBuffer buf = ByteBuffer.allocate(64);

        private ByteBuffer room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
            return buf;
        }

        Out lng(long v) {
            room(8).putLong(v);
            return this;
        }

        Out dbl(double v) {
            return lng(Double.doubleToRawLongBits(v));
        }

        Out bool(boolean v) {
            room(1).put((byte) (v ? 1 : 0));
            return this;
        }

        Out count(int n) {
            room(4).putInt(n);
            return this;
        }

        Out bytes(byte[] b) {
            room(4 + b.length).putInt(b.length).put(b);
            return this;
        }

        Out str(String s) {
            if (s == null) {
                throw new IllegalArgumentException("a string field is null (only fields documented as nullable may be)");
            }
            requireUnicode(s);
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        /** A string that may be null: {@code [int -1]} for null. */
        Out nstr(String s) {
            return s == null ? count(-1) : str(s);
        }

        Out i32(int v) {
            room(4).putInt(v);
            return this;
        }

        Out lngs(long[] v) {
            count(v.length);
            for (long x : v) {
                lng(x);
            }
            return this;
        }

        Out dbls(double[] v) {
            count(v.length);
            for (double x : v) {
                dbl(x);
            }
            return this;
        }

        Out ints(int[] v) {
            count(v.length);
            for (int x : v) {
                i32(x);
            }
            return this;
        }

        Out byteList(List<byte[]> list) {
            count(list.size());
            for (byte[] b : list) {
                bytes(b);
            }
            return this;
        }

        Out enumeration(Enum<?> e) {
            return str(e.name());
        }

        Out longs(Map<String, Long> map) {
            count(map.size());
            map.forEach((k, v) -> str(k).lng(v));
            return this;
        }

        Out texts(Map<String, String> map) {
            count(map.size());
            map.forEach((k, v) -> str(k).str(v));
            return this;
        }

        Out strs(List<String> list) {
            count(list.size());
            for (String s : list) {
                str(s);
            }
            return this;
        }

        Out values(Map<String, Double> map) {
            count(map.size());
            map.forEach((k, v) -> str(k).dbl(v));
            return this;
        }

        byte[] toArray() {
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    /**
     * Refuses a string that is not valid Unicode (a lone surrogate): UTF-8 would turn it into '?', so it
     * could not come back as it went.
     */
    static void requireUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("a string has a lone surrogate (U+" + Integer.toHexString(c).toUpperCase(
                            java.util.Locale.ROOT) + ") at index " + i + ": not valid Unicode, it would not cross nodes unchanged");
                }
            }
        }
    }

    /** Reads what {@link Out} wrote, refusing a frame that ends early or claims more than it holds. */
    static final class In {
        final ByteBuffer buf;

        In(byte[] bytes) {
            buf = ByteBuffer.wrap(bytes);
        }

        private ByteBuffer need(int n, String what) {
            if (buf.remaining() < n) {
                throw new IllegalArgumentException("the frame ends at byte " + buf.position() + " before " + what + " (" + n
                        + " bytes needed, " + buf.remaining() + " left)");
            }
            return buf;
        }

        long lng() {
            return need(8, "a long").getLong();
        }

        double dbl() {
            return Double.longBitsToDouble(need(8, "a double").getLong());
        }

        boolean bool() {
            byte b = need(1, "a boolean").get();
            if (b != 0 && b != 1) {
                throw new IllegalArgumentException("byte " + (buf.position() - 1) + " is " + b + ", not a boolean (0 or 1)");
            }
            return b == 1;
        }

        /** A count of elements each at least {@code minSize} bytes long, checked against what remains. */
        int count(int minSize) {
            int at = buf.position();
            int n = need(4, "a count").getInt();
            if (n < 0 || (long) n * minSize > buf.remaining()) {
                throw new IllegalArgumentException("the count at byte " + at + " claims " + n + " elements, " + buf.remaining()
                        + " bytes remain");
            }
            return n;
        }

        byte[] bytes() {
            int at = buf.position();
            int n = need(4, "a length").getInt();
            if (n < 0 || n > buf.remaining()) {
                throw new IllegalArgumentException("the length at byte " + at + " claims " + n + " bytes, " + buf.remaining()
                        + " remain");
            }
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }

        String str() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        String nstr() {
            int at = buf.position();
            if (need(4, "a length").getInt(at) == -1) {
                buf.getInt();
                return null;
            }
            return str();
        }

        int i32() {
            return need(4, "an int").getInt();
        }

        long[] lngs() {
            long[] v = new long[count(8)];
            for (int k = 0; k < v.length; k++) {
                v[k] = lng();
            }
            return v;
        }

        double[] dbls() {
            double[] v = new double[count(8)];
            for (int k = 0; k < v.length; k++) {
                v[k] = dbl();
            }
            return v;
        }

        int[] ints() {
            int[] v = new int[count(4)];
            for (int k = 0; k < v.length; k++) {
                v[k] = i32();
            }
            return v;
        }

        List<byte[]> byteList() {
            int n = count(4);
            List<byte[]> out = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                out.add(bytes());
            }
            return out;
        }

        Map<String, Long> longs() {
            int n = count(12);
            Map<String, Long> out = new LinkedHashMap<>();
            for (int k = 0; k < n; k++) {
                put(out, str(), lng());
            }
            return out;
        }

        Map<String, String> texts() {
            int n = count(8);
            Map<String, String> out = new LinkedHashMap<>();
            for (int k = 0; k < n; k++) {
                put(out, str(), str());
            }
            return out;
        }

        List<String> strs() {
            int n = count(4);
            List<String> out = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                out.add(str());
            }
            return out;
        }

        Map<String, Double> values() {
            int n = count(12);
            Map<String, Double> out = new LinkedHashMap<>();
            for (int k = 0; k < n; k++) {
                put(out, str(), dbl());
            }
            return out;
        }

        /** A map entry; a key that is there twice is refused (the map would come back smaller). */
        private static <V> void put(Map<String, V> map, String key, V value) {
            if (map.put(key, value) != null) {
                throw new IllegalArgumentException("the key '" + key + "' is there twice");
            }
        }

        <E extends Enum<E>> E enumeration(Class<E> type) {
            String name = str();
            try {
                return Enum.valueOf(type, name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + name + "' is not a " + type.getSimpleName() + " (one of "
                        + Arrays.toString(type.getEnumConstants()) + ")");
            }
        }
    }
}
