package io.chronofabric.api.bus;

import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.Priority;
import java.util.Objects;

/**
 * How a packet is routed. Immutable; one instance may be shared by many packets.
 *
 * @param source          component that published the packet; not null
 * @param sourceTaskId    scheduler task that produced it, or {@link #NO_TASK}
 * @param targetMask      bit {@code n} selects subscribers declaring {@link ComponentId} n;
 *                        {@link ComponentId#ALL} selects every subscriber, including those that
 *                        declare no component id
 * @param priority        delivery priority; not null
 * @param deadlineNanos   absolute deadline (time-source nanoseconds) after which the packet is
 *                        not delivered but counted as expired, or {@link #NO_DEADLINE}
 * @param sizeHint        payload size in bytes if known, else 0
 * @param delivery        delivery guarantee, retries, timeout; not null
 */
public record RoutingMetadata(ComponentId source, long sourceTaskId, long targetMask, Priority priority,
        long deadlineNanos, int sizeHint, DeliveryOptions delivery) {

    public static final long NO_TASK = -1;
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public RoutingMetadata {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(delivery, "delivery");
        if (deadlineNanos < 0) {
            throw new IllegalArgumentException("Deadline " + deadlineNanos + " ns is negative");
        }
        if (sizeHint < 0) {
            throw new IllegalArgumentException("Size hint " + sizeHint + " is negative");
        }
    }

    private static final RoutingMetadata[] DEFAULTS = new RoutingMetadata[ComponentId.MAX_COMPONENTS];

    static {
        for (int i = 0; i < DEFAULTS.length; i++) {
            DEFAULTS[i] = new RoutingMetadata(ComponentId.of(i), NO_TASK, ComponentId.ALL, Priority.NORMAL, NO_DEADLINE, 0,
                    DeliveryOptions.BEST_EFFORT);
        }
    }

    /** Default routing from {@code source} (all targets, normal priority, no deadline, best effort); a shared instance. */
    public static RoutingMetadata defaults(ComponentId source) {
        return DEFAULTS[source.value()];
    }

    /** Whether this is the default routing of its source. */
    public boolean isDefault() {
        return this == DEFAULTS[source.value()] || equals(DEFAULTS[source.value()]);
    }

    public boolean hasDeadline() {
        return deadlineNanos != NO_DEADLINE;
    }
}
