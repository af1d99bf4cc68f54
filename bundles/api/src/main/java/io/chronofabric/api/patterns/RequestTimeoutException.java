package io.chronofabric.api.patterns;

import io.chronofabric.api.core.ChronoFabricException;
import java.time.Duration;

/** No reply came for a request in time; the message names the channel, the timeout and the request id. */
public class RequestTimeoutException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    private final String channel;
    private final transient Duration timeout;

    public RequestTimeoutException(String channel, Duration timeout, String details) {
        super("No reply on channel '" + channel + "' within " + timeout.toMillis() + " ms" + (details.isEmpty() ? "" : ": " + details));
        this.channel = channel;
        this.timeout = timeout;
    }

    /** The request channel. */
    public String channel() {
        return channel;
    }

    public Duration timeout() {
        return timeout;
    }
}
