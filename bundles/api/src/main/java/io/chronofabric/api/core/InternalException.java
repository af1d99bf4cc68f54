package io.chronofabric.api.core;

/** A broken invariant inside a provider: a bug, reported rather than hidden. */
public class InternalException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    public InternalException(String details) {
        super("Internal error: " + details);
    }

    public InternalException(String details, Throwable cause) {
        super("Internal error: " + details, cause);
    }
}
