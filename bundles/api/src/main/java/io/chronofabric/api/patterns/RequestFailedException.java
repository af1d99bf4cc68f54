package io.chronofabric.api.patterns;

import io.chronofabric.api.core.ChronoFabricException;

/** The responder of a request threw; the message names the channel, the responder and its error. */
public class RequestFailedException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    private final transient ResponderFailure failure;

    public RequestFailedException(ResponderFailure failure) {
        super("Responder " + failure.responder() + " on channel '" + failure.channel() + "' failed: " + failure.error());
        this.failure = failure;
    }

    public ResponderFailure failure() {
        return failure;
    }
}
