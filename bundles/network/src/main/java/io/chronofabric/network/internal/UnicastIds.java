package io.chronofabric.network.internal;

import io.chronofabric.api.core.MessageId;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Ids of packets that came to this node addressed to it only, per origin (the id's top 16 bits):
 * a ring of {@code size} slots indexed by the id's sequence mod {@code size}, so an id is
 * remembered until its origin's sequence has passed it by {@code size} (the last {@code size}
 * sequences of each origin), whatever other ids came since. One writer ({@link #remember}, the
 * node's agent), any number of readers ({@link #contains}); neither allocates once an origin has
 * been seen.
 */
final class UnicastIds {

    private final int size;
    /** Per origin seen, in order of first sight: its node id and ring (copy on write, one writer). */
    private volatile int[] origins = new int[0];
    private volatile AtomicLongArray[] rings = new AtomicLongArray[0];

    /** @param size slots per origin, a power of two */
    UnicastIds(int size) {
        if (size <= 0 || (size & (size - 1)) != 0) {
            throw new IllegalArgumentException("ring size must be a power of two, was " + size);
        }
        this.size = size;
    }

    /** Remembers {@code id} (writer only). */
    void remember(long id) {
        int origin = (int) (id >>> 48);
        AtomicLongArray ring = ring(origin);
        if (ring == null) {
            ring = new AtomicLongArray(size);
            for (int i = 0; i < size; i++) {
                ring.set(i, -1);
            }
            AtomicLongArray[] r = Arrays.copyOf(rings, rings.length + 1);
            r[r.length - 1] = ring;
            int[] o = Arrays.copyOf(origins, origins.length + 1);
            o[o.length - 1] = origin;
            rings = r; // rings first: a reader that sees the new origin sees its ring
            origins = o;
        }
        ring.set(slot(id), id);
    }

    /** Whether {@code id} is among the last {@code size} sequences of its origin remembered. */
    boolean contains(long id) {
        AtomicLongArray ring = ring((int) (id >>> 48));
        return ring != null && ring.get(slot(id)) == id;
    }

    private int slot(long id) {
        return (int) ((id & MessageId.MAX_SEQUENCE) & (size - 1));
    }

    private AtomicLongArray ring(int origin) {
        int[] o = origins;
        AtomicLongArray[] r = rings;
        for (int i = 0; i < o.length; i++) {
            if (o[i] == origin) {
                return r[i];
            }
        }
        return null;
    }
}
