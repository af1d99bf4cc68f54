package io.chronofabric.patterns.internal;

import io.chronofabric.api.patterns.StoredEvent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How an event is kept as one ledger entry. Big endian: ASCII {@code CFE1}; stream (u16 length +
 * UTF-8); version (8); type (u16 length + UTF-8); data (u32 length + bytes).
 */
final class EventCodec {

    private static final byte[] MAGIC = {'C', 'F', 'E', '1'};

    private EventCodec() {
    }

    static byte[] encode(String stream, long version, String type, byte[] data) {
        byte[] s = stream.getBytes(StandardCharsets.UTF_8);
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 2 + s.length + 8 + 2 + t.length + 4 + data.length).put(MAGIC)
                .putShort((short) s.length).put(s).putLong(version).putShort((short) t.length).put(t)
                .putInt(data.length).put(data).array();
    }

    /** Whether the entry starts like an event (cheap check before decoding). */
    static boolean isEvent(byte[] entry) {
        return entry.length >= 4 && entry[0] == MAGIC[0] && entry[1] == MAGIC[1] && entry[2] == MAGIC[2] && entry[3] == MAGIC[3];
    }

    /** @return the event, or null if the entry is not a well-formed event */
    static StoredEvent decode(byte[] entry, long ledgerIndex) {
        if (!isEvent(entry)) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(entry, 4, entry.length - 4);
            byte[] s = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(s);
            long version = b.getLong();
            byte[] t = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(t);
            byte[] data = new byte[b.getInt()];
            b.get(data);
            if (b.hasRemaining()) {
                return null;
            }
            return new StoredEvent(new String(s, StandardCharsets.UTF_8), version, ledgerIndex, new String(t, StandardCharsets.UTF_8), data);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            return null;
        }
    }
}
