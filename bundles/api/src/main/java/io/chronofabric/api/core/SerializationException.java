package io.chronofabric.api.core;

/** A value could not be encoded to or decoded from bytes. */
public class SerializationException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    public SerializationException(String details) {
        super("Serialization failed: " + details);
    }

    public SerializationException(String details, Throwable cause) {
        super("Serialization failed: " + details, cause);
    }
}
