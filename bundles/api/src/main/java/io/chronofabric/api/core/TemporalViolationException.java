package io.chronofabric.api.core;

/**
 * An operation would break a temporal rule: a remote timestamp further ahead than the
 * tolerated clock offset, a deadline already in the past, time asked to run backwards.
 */
public class TemporalViolationException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    public TemporalViolationException(String details) {
        super("Temporal violation: " + details);
    }
}
