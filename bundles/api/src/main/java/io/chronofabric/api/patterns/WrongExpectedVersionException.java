package io.chronofabric.api.patterns;

import io.chronofabric.api.core.ChronoFabricException;

/** An {@link EventStore#append} whose expected version is not the stream's; names both. */
public class WrongExpectedVersionException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    private final String stream;
    private final long expected;
    private final long actual;

    public WrongExpectedVersionException(String stream, long expected, long actual) {
        super("Stream '" + stream + "' is at version " + actual + ", not the expected version " + expected
                + "; read it again and retry");
        this.stream = stream;
        this.expected = expected;
        this.actual = actual;
    }

    public String stream() {
        return stream;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
