package io.chronofabric.api.scheduler;

import java.util.Objects;

/**
 * A hint pinned on the {@link TimeOracle} (by an operator or by governance) that overrides its
 * controller. An immutable snapshot.
 *
 * @param hint           the pinned hint; not null
 * @param reason         who pinned it and why; not null, may be empty
 * @param remainingNanos how long the pin still holds when this snapshot was taken, in nanoseconds
 *                       (&gt; 0), or {@link #UNTIL_UNPINNED}
 * @since 1.1
 */
public record HintPin(OptimizationHint hint, String reason, long remainingNanos) {

    /** {@link #remainingNanos()} of a pin that holds until {@link TimeOracle#unpin()}. */
    public static final long UNTIL_UNPINNED = -1;

    public HintPin {
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(reason, "reason");
        if (remainingNanos <= 0 && remainingNanos != UNTIL_UNPINNED) {
            throw new IllegalArgumentException("Pin remaining time " + remainingNanos + " ns must be > 0 or UNTIL_UNPINNED (-1)");
        }
    }

    /** Whether the pin holds until it is removed. */
    public boolean untilUnpinned() {
        return remainingNanos == UNTIL_UNPINNED;
    }
}
