package io.chronofabric.api.core;

/**
 * A Hybrid Logical Clock timestamp (Kulkarni et al. 2014): the largest physical time seen
 * ({@code physical}, nanoseconds since the epoch), a logical counter that orders events
 * within the same physical time, and the id of the node that issued it.
 *
 * <p>Timestamps are totally ordered by physical time, then logical counter, then node id, so
 * two events on different nodes never compare equal. If event {@code e} happened before
 * {@code f} (Lamport's relation) then {@code e.compareTo(f) < 0}.
 *
 * @param physical nanoseconds since the epoch, never negative
 * @param logical  logical counter, 0 to {@link #MAX_LOGICAL}
 * @param nodeId   issuing node, 0 to {@link #MAX_NODE_ID}
 */
public record LogicalTime(long physical, long logical, int nodeId) implements Comparable<LogicalTime> {

    /** Largest node id (node ids fit in 16 bits). */
    public static final int MAX_NODE_ID = 0xFFFF;

    /**
     * Largest logical counter (32 bits). A clock whose counter would pass it moves its physical
     * component forward by one nanosecond and restarts the counter at 0, keeping order.
     */
    public static final long MAX_LOGICAL = 0xFFFF_FFFFL;

    /** The smallest timestamp. */
    public static final LogicalTime ZERO = new LogicalTime(0, 0, 0);

    /**
     * @throws IllegalArgumentException naming the component that is out of range
     */
    public LogicalTime {
        if (physical < 0) {
            throw new IllegalArgumentException("HLC physical time " + physical + " is negative");
        }
        if (logical < 0 || logical > MAX_LOGICAL) {
            throw new IllegalArgumentException("HLC logical counter " + logical + " is out of range 0.." + MAX_LOGICAL);
        }
        if (nodeId < 0 || nodeId > MAX_NODE_ID) {
            throw new IllegalArgumentException("HLC node id " + nodeId + " is out of range 0.." + MAX_NODE_ID);
        }
    }

    /** Whether this timestamp orders strictly before {@code other}. */
    public boolean isBefore(LogicalTime other) {
        return compareTo(other) < 0;
    }

    /** Whether this timestamp orders strictly after {@code other}. */
    public boolean isAfter(LogicalTime other) {
        return compareTo(other) > 0;
    }

    /** Compares the (physical, logical) pair only, ignoring node ids. */
    public int compareClock(LogicalTime other) {
        int c = Long.compare(physical, other.physical);
        return c != 0 ? c : Long.compare(logical, other.logical);
    }

    @Override
    public int compareTo(LogicalTime other) {
        int c = compareClock(other);
        return c != 0 ? c : Integer.compare(nodeId, other.nodeId);
    }

    /**
     * Parses the form printed by {@link #toString()}: {@code physical.logical@node}.
     *
     * @throws IllegalArgumentException naming the text that does not parse
     */
    public static LogicalTime parse(String text) {
        int dot = text.indexOf('.');
        int at = text.indexOf('@');
        if (dot <= 0 || at <= dot + 1 || at == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not an HLC timestamp (expected physical.logical@node)");
        }
        try {
            return new LogicalTime(Long.parseLong(text.substring(0, dot)),
                    Long.parseLong(text.substring(dot + 1, at)),
                    Integer.parseInt(text.substring(at + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an HLC timestamp (expected physical.logical@node)", e);
        }
    }

    @Override
    public String toString() {
        return physical + "." + logical + "@" + nodeId;
    }
}
