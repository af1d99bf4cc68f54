package io.chronofabric.api.patterns;

import io.chronofabric.api.core.LogicalTime;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The payload of a packet republished from the ledger by a replay ({@code csf:replay}): the
 * recorded packet with its original time and id. The republished packet itself gets a fresh
 * message id and HLC time, as every published packet does.
 *
 * @param channel           the channel it was recorded on
 * @param ledgerIndex       its entry index in the ledger
 * @param originalTime      the HLC time it was published with
 * @param originalMessageId its original message id value
 * @param payloadType       the original payload's class name
 * @param payload           the recorded payload bytes (UTF-8 text unless the payload was a {@code byte[]})
 */
public record ReplayedPacket(String channel, long ledgerIndex, LogicalTime originalTime, long originalMessageId,
        String payloadType, byte[] payload) {

    public ReplayedPacket {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(originalTime, "originalTime");
        Objects.requireNonNull(payloadType, "payloadType");
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as UTF-8 text. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String text = payloadText();
        return "ReplayedPacket[" + channel + "#" + ledgerIndex + ", time=" + originalTime + ", type=" + payloadType + ", payload="
                + (text.length() > 80 ? text.substring(0, 77) + "..." : text) + "]";
    }
}
