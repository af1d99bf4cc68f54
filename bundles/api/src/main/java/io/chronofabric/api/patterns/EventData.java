package io.chronofabric.api.patterns;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An event to append: a type name (the application's, e.g. {@code OrderPlaced}) and its bytes.
 *
 * @param type 1 to 200 characters
 * @param data the event body, copied
 */
public record EventData(String type, byte[] data) {

    public EventData {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty() || type.length() > 200) {
            throw new IllegalArgumentException("Event type '" + type + "' must be 1 to 200 characters");
        }
        data = data.clone();
    }

    /** An event whose body is UTF-8 text. */
    public static EventData of(String type, String text) {
        return new EventData(type, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }
}
