package io.chronofabric.bridge.common.internal;

/**
 * Event data (an Event Admin Event, Typed Event data) or a payload that cannot cross a bridge; the
 * message names the property and what was wrong.
 */
public final class BadEventException extends Exception {

    private static final long serialVersionUID = 1L;

    public BadEventException(String message) {
        super(message, null, false, false);
    }
}
