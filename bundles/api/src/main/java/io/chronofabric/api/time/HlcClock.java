package io.chronofabric.api.time;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.TemporalViolationException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A Hybrid Logical Clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", OPODIS 2014).
 *
 * <p><b>Contract.</b> {@link #now()} implements the paper's send/local-event rule and
 * {@link #update(LogicalTime)} its receive rule. Every timestamp returned by one clock is
 * strictly greater than every timestamp it returned before, across all threads, across a
 * switch of the underlying {@link TimeSource}, and across a restart of the providing bundle.
 * A remote timestamp whose physical part is ahead of local physical time by more than
 * {@link #maxOffsetNanos()} is refused and counted; it never moves the clock. Thread-safe and
 * lock-free; methods never return null.
 */
@ProviderType
public interface HlcClock {

    /** A timestamp for a local or send event (the paper's "send or local event" rule). */
    LogicalTime now();

    /**
     * As {@link #now()}, with the physical time {@code pt} supplied by the caller: a reading of the
     * active {@link TimeSource} taken just before. For callers that need the reading anyway (the bus
     * stamps each packet with both), so the clock is read once. A stale reading cannot make the
     * clock go backwards (the rule takes the maximum); it only delays the physical part.
     */
    LogicalTime now(long physicalNanos);

    /**
     * As {@link #now(long)}, without creating a {@link LogicalTime} (for the bus, which stamps every
     * packet): writes the timestamp's physical part to {@code out[0]}, its logical counter to
     * {@code out[1]} and its node id to {@code out[2]}. The same contract as {@code now}: the
     * timestamp is strictly greater than every one this clock issued before. The default creates a
     * timestamp with {@code now}; implementations override it to allocate nothing.
     *
     * @param out at least three slots, written by this call only
     * @since 1.1
     */
    default void nowInto(long physicalNanos, long[] out) {
        LogicalTime t = now(physicalNanos);
        out[0] = t.physical();
        out[1] = t.logical();
        out[2] = t.nodeId();
    }

    /**
     * Merges a timestamp received from another node (the paper's "receive event of message m"
     * rule) and returns the timestamp of the receive event.
     *
     * @param remote the sender's timestamp; not null
     * @throws TemporalViolationException if {@code remote.physical()} is more than
     *         {@link #maxOffsetNanos()} ahead of local physical time; the message names both
     *         times and the bound
     * @throws NullPointerException if {@code remote} is null
     */
    LogicalTime update(LogicalTime remote);

    /** The last timestamp issued, without issuing a new one. */
    LogicalTime current();

    /** This node's id, 0 to {@link LogicalTime#MAX_NODE_ID}. */
    int nodeId();

    /** The maximum tolerated offset of a remote physical time ahead of ours, in nanoseconds. */
    long maxOffsetNanos();

    /** How many remote timestamps have been refused for being too far ahead. */
    long refusedUpdates();
}
