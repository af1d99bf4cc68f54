package io.chronofabric.api.patterns;

import java.util.Objects;

/**
 * The reply payload published when a {@link Responder} threw.
 *
 * @param channel   the request channel
 * @param responder the responder (its {@code toString()})
 * @param error     the exception's class name and message
 */
public record ResponderFailure(String channel, String responder, String error) {

    public ResponderFailure {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(error, "error");
    }
}
