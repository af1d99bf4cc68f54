package io.chronofabric.api.compute;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call options of {@link MlirRuntime#execute}. Immutable.
 *
 * @param timeout       how long the execution may take before its stage completes with a
 *                      {@link java.util.concurrent.TimeoutException}; {@code null} for the
 *                      runtime's configured default
 * @param onBackendLoss what to do when the backend that compiled the module has gone away
 * @since 1.1
 */
public record ExecutionOptions(Duration timeout, OnBackendLoss onBackendLoss) {

    /** The runtime's configured timeout and policy. */
    public static final ExecutionOptions DEFAULTS = new ExecutionOptions(null, OnBackendLoss.CONFIGURED);

    public ExecutionOptions {
        Objects.requireNonNull(onBackendLoss, "onBackendLoss");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    public static ExecutionOptions withTimeout(Duration timeout) {
        return new ExecutionOptions(timeout, OnBackendLoss.CONFIGURED);
    }

    /** What an execution does when its module's backend is no longer registered. */
    public enum OnBackendLoss {
        /** As the runtime's configuration says. */
        CONFIGURED,
        /** Fail with {@link BackendUnavailableException}. */
        FAIL,
        /** Compile the module again on the next available preferred backend (at last CPU) and run it there. */
        FALL_BACK
    }
}
