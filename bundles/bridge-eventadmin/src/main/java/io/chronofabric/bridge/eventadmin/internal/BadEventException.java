package io.chronofabric.bridge.eventadmin.internal;

/** An Event that cannot become a packet; the message names the property and what was wrong. */
final class BadEventException extends Exception {

    private static final long serialVersionUID = 1L;

    BadEventException(String message) {
        super(message, null, false, false);
    }
}
