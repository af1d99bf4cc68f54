package io.chronofabric.ledger.record;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.LogicalTime;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A bus packet as the recorder stores it in the ledger.
 *
 * <p>Encoding (big endian): ASCII {@code CFR1}; channel (u16 length + UTF-8); HLC physical (8),
 * logical (8), node (2); message id (8); payload type name (u16 length + UTF-8); payload
 * (u32 length + bytes). The payload bytes are the payload itself for {@code byte[]}, UTF-8 for a
 * {@code String}, and UTF-8 of {@code String.valueOf(payload)} for anything else.
 *
 * @param channel     the channel it was published on
 * @param timestamp   its HLC timestamp
 * @param messageId   its message id value
 * @param payloadType the payload's class name
 * @param payload     the payload bytes as described above
 */
public record RecordedPacket(String channel, LogicalTime timestamp, long messageId, String payloadType, byte[] payload) {

    private static final byte[] MAGIC = {'C', 'F', 'R', '1'};

    public RecordedPacket {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(payloadType, "payloadType");
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as text (UTF-8). */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public static RecordedPacket of(PhasePacket<?> p, String channel) {
        Object v = p.payload();
        byte[] bytes = v instanceof byte[] b ? b : String.valueOf(v).getBytes(StandardCharsets.UTF_8);
        return new RecordedPacket(channel, p.timestamp(), p.messageIdValue(), v.getClass().getName(), bytes);
    }

    public byte[] encode() {
        byte[] ch = channel.getBytes(StandardCharsets.UTF_8);
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 2 + ch.length + 8 + 8 + 2 + 8 + 2 + type.length + 4 + payload.length)
                .put(MAGIC).putShort((short) ch.length).put(ch)
                .putLong(timestamp.physical()).putLong(timestamp.logical()).putShort((short) timestamp.nodeId())
                .putLong(messageId).putShort((short) type.length).put(type).putInt(payload.length).put(payload).array();
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a recorded packet (the message says
     *         what was wrong)
     */
    public static RecordedPacket decode(byte[] entry) {
        try {
            ByteBuffer b = ByteBuffer.wrap(entry);
            byte[] magic = new byte[4];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("not a recorded packet: the entry does not start with CFR1");
            }
            byte[] ch = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(ch);
            LogicalTime t = new LogicalTime(b.getLong(), b.getLong(), Short.toUnsignedInt(b.getShort()));
            long id = b.getLong();
            byte[] type = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(type);
            byte[] payload = new byte[b.getInt()];
            b.get(payload);
            return new RecordedPacket(new String(ch, StandardCharsets.UTF_8), t, id, new String(type, StandardCharsets.UTF_8), payload);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("not a recorded packet: the entry is too short (" + entry.length + " bytes)", e);
        }
    }
}
