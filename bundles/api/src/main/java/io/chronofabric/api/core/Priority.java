package io.chronofabric.api.core;

import java.util.Locale;

/**
 * Delivery priority of a packet. A higher priority packet waiting in a subscriber's queue is
 * delivered before lower ones; packets of equal priority keep publish order.
 */
public enum Priority {
    LOW,
    NORMAL,
    HIGH,
    CRITICAL;

    private static final Priority[] VALUES = values();

    /** Number of priority levels; lanes of a priority queue. */
    public static final int LEVELS = VALUES.length;

    /** 0 for {@link #LOW} up to {@code LEVELS - 1} for {@link #CRITICAL}. */
    public int level() {
        return ordinal();
    }

    public static Priority ofLevel(int level) {
        if (level < 0 || level >= LEVELS) {
            throw new IllegalArgumentException("Priority level " + level + " is out of range 0.." + (LEVELS - 1));
        }
        return VALUES[level];
    }

    /**
     * Parses a priority name, ignoring case.
     *
     * @throws IllegalArgumentException naming the text and the accepted names
     */
    public static Priority parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Unknown priority '" + text + "': expected one of low, normal, high, critical", e);
        }
    }
}
