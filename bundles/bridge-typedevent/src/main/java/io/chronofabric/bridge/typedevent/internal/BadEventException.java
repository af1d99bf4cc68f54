package io.chronofabric.bridge.typedevent.internal;

/** Event data or a payload that cannot cross the bridge; the message names what was wrong. */
final class BadEventException extends Exception {

    private static final long serialVersionUID = 1L;

    BadEventException(String message) {
        super(message, null, false, false);
    }
}
