package io.chronofabric.api.core;

/**
 * Names one of the 64 addressable components of a ChronoFabric process.
 *
 * <p>The value is also the bit index in a packet's target mask: a subscriber that declares
 * component id {@code n} receives a targeted packet only when bit {@code n} of the mask is set.
 * Ids 0 to 7 are reserved for the fabric's own parts (constants below); applications use
 * 8 to 63.
 *
 * @param value the id, 0 to 63
 */
public record ComponentId(int value) implements Comparable<ComponentId> {

    /** Number of distinct component ids (the width of a target mask). */
    public static final int MAX_COMPONENTS = 64;

    /** Mask with every component selected; the default target of a packet. */
    public static final long ALL = -1L;

    public static final ComponentId SYSTEM = new ComponentId(0);
    public static final ComponentId DRPP = new ComponentId(1);
    public static final ComponentId ADP = new ComponentId(2);
    public static final ComponentId EGC = new ComponentId(3);
    public static final ComponentId EMS = new ComponentId(4);
    public static final ComponentId SCHEDULER = new ComponentId(5);
    public static final ComponentId LEDGER = new ComponentId(6);
    public static final ComponentId CONSENSUS = new ComponentId(7);

    /** First id free for applications. */
    public static final int FIRST_CUSTOM = 8;

    /**
     * @throws IllegalArgumentException if {@code value} is outside 0..63, naming the value
     */
    public ComponentId {
        if (value < 0 || value >= MAX_COMPONENTS) {
            throw new IllegalArgumentException(
                    "Component id " + value + " is out of range: it must be 0 to " + (MAX_COMPONENTS - 1));
        }
    }

    /** Returns the component id with the given value (0 to 63). */
    public static ComponentId of(int value) {
        return new ComponentId(value);
    }

    /** The single-bit mask selecting this component. */
    public long mask() {
        return 1L << value;
    }

    /** Whether {@code targetMask} selects this component. */
    public boolean isSelectedBy(long targetMask) {
        return (targetMask & mask()) != 0;
    }

    /** A mask selecting exactly the given components. */
    public static long maskOf(ComponentId... ids) {
        long mask = 0;
        for (ComponentId id : ids) {
            mask |= id.mask();
        }
        return mask;
    }

    @Override
    public int compareTo(ComponentId other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "component-" + value;
    }
}
