package io.chronofabric.api.core;

/** A component could not start: bad configuration, unreadable state, missing resource. */
public class InitializationException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    private final String component;

    public InitializationException(String component, String reason) {
        super("Initialization failed: " + component + " - " + reason);
        this.component = component;
    }

    public InitializationException(String component, String reason, Throwable cause) {
        super("Initialization failed: " + component + " - " + reason, cause);
        this.component = component;
    }

    public String component() {
        return component;
    }
}
