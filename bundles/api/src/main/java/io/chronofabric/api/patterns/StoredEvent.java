package io.chronofabric.api.patterns;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An event read back from an {@link EventStore}.
 *
 * @param stream      its stream
 * @param version     its 1-based position in the stream
 * @param ledgerIndex its entry in the ledger
 * @param type        its type name
 * @param data        its bytes
 */
public record StoredEvent(String stream, long version, long ledgerIndex, String type, byte[] data) {

    public StoredEvent {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
