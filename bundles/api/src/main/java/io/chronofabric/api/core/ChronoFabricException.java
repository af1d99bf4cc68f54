package io.chronofabric.api.core;

/**
 * Root of ChronoFabric's error hierarchy. Unchecked: a port method lists in its Javadoc which
 * subclasses it throws and when. Every message names what was wrong (the id, the value, the
 * limit) so that it can be shown to an operator as it is.
 */
public abstract class ChronoFabricException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected ChronoFabricException(String message) {
        super(message);
    }

    protected ChronoFabricException(String message, Throwable cause) {
        super(message, cause);
    }
}
