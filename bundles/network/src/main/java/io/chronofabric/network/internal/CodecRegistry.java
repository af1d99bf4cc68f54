package io.chronofabric.network.internal;

import io.chronofabric.api.network.PayloadCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Payload codecs by class (for sending) and by wire name (for receiving). Built in: byte[],
 * String, Long, Integer, Double, Boolean, ResponderFailure, the C-LOGIC and event records of
 * {@link RecordCodecs} and the API value records of {@link ApiRecordCodecs}. Applications add theirs (PayloadCodec services).
 * Thread-safe.
 */
final class CodecRegistry {

    private final Map<Class<?>, PayloadCodec<?>> byType = new ConcurrentHashMap<>();
    private final Map<String, PayloadCodec<?>> byName = new ConcurrentHashMap<>();

    CodecRegistry() {
        add(codec(byte[].class, "bytes", b -> b.clone(), b -> b));
        add(codec(String.class, "string", s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8)));
        add(codec(Long.class, "long", v -> ByteBuffer.allocate(8).putLong(v).array(), b -> fixed(b, 8).getLong()));
        add(codec(Integer.class, "int", v -> ByteBuffer.allocate(4).putInt(v).array(), b -> fixed(b, 4).getInt()));
        add(codec(Double.class, "double", v -> ByteBuffer.allocate(8).putDouble(v).array(), b -> fixed(b, 8).getDouble()));
        add(codec(Boolean.class, "boolean", v -> new byte[] {(byte) (v ? 1 : 0)}, b -> fixed(b, 1).get() != 0));
        // a responder's failure answers a request from another node (request/reply across nodes)
        add(codec(io.chronofabric.api.patterns.ResponderFailure.class, "chronofabric.ResponderFailure/1",
                f -> strings(f.channel(), f.responder(), f.error()), b -> {
                    String[] f = strings(b, 3);
                    return new io.chronofabric.api.patterns.ResponderFailure(f[0], f[1], f[2]);
                }));
        RecordCodecs.all().forEach(this::add);
        ApiRecordCodecs.all().forEach(this::add);
    }

    /** Strings as {@code [int n][n UTF-8 bytes]...}. */
    static byte[] strings(String... values) {
        byte[][] parts = new byte[values.length][];
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            parts[i] = values[i] == null ? new byte[0] : values[i].getBytes(StandardCharsets.UTF_8);
            n += 4 + parts[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.putInt(p.length).put(p);
        }
        return b.array();
    }

    static String[] strings(byte[] bytes, int count) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            if (b.remaining() < 4) {
                throw new IllegalArgumentException("Payload of " + bytes.length + " bytes ends before string " + (i + 1) + " of " + count);
            }
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) {
                throw new IllegalArgumentException("String " + (i + 1) + " of " + count + " claims " + len + " bytes, "
                        + b.remaining() + " remain");
            }
            byte[] s = new byte[len];
            b.get(s);
            out[i] = new String(s, StandardCharsets.UTF_8);
        }
        return out;
    }

    private static ByteBuffer fixed(byte[] b, int n) {
        if (b.length != n) {
            throw new IllegalArgumentException("Payload of " + b.length + " bytes where " + n + " were expected");
        }
        return ByteBuffer.wrap(b);
    }

    static <T> PayloadCodec<T> codec(Class<T> type, String name, java.util.function.Function<T, byte[]> enc,
            java.util.function.Function<byte[], T> dec) {
        return new PayloadCodec<>() {
            @Override
            public Class<T> type() {
                return type;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public byte[] encode(T payload) {
                return enc.apply(payload);
            }

            @Override
            public T decode(byte[] bytes) {
                return dec.apply(bytes);
            }
        };
    }

    /** @throws IllegalArgumentException if the name or the type has a codec already */
    void add(PayloadCodec<?> codec) {
        Objects.requireNonNull(codec, "codec");
        String name = Objects.requireNonNull(codec.name(), "codec name");
        Class<?> type = Objects.requireNonNull(codec.type(), "codec type");
        if (byName.putIfAbsent(name, codec) != null) {
            throw new IllegalArgumentException("A payload codec named '" + name + "' is registered already");
        }
        if (byType.putIfAbsent(type, codec) != null) {
            byName.remove(name, codec);
            throw new IllegalArgumentException("Payload type " + type.getName() + " has a codec already");
        }
    }

    void remove(PayloadCodec<?> codec) {
        byName.remove(codec.name(), codec);
        byType.remove(codec.type(), codec);
    }

    /** The codec for a payload. @throws IllegalArgumentException naming the type and channel */
    @SuppressWarnings("unchecked")
    <T> PayloadCodec<T> forPayload(T payload, String channel) {
        PayloadCodec<?> c = byType.get(payload.getClass());
        if (c == null) {
            throw new IllegalArgumentException("Payload of type " + payload.getClass().getName() + " on channel " + channel
                    + " cannot cross nodes: no PayloadCodec is registered for it (built in: " + byName.keySet() + ")");
        }
        return (PayloadCodec<T>) c;
    }

    PayloadCodec<?> forName(String name) {
        return byName.get(name);
    }
}
