package io.chronofabric.bus.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The subscribers one packet key (a payload class or a channel) reaches, precomputed for target
 * masks: {@code byBit[n]} holds the subscribers declaring component id n, and
 * {@code presentBits} has bit n set when that list is non-empty. A packet with mask M reaches the
 * subscribers of the set bits of {@code M & presentBits}, found with bit operations; a packet
 * with every bit set reaches {@code all}. Immutable.
 */
final class RouteTable {

    static final RouteTable EMPTY = new RouteTable(new Subscriber[0]);
    private static final Subscriber[] NONE = new Subscriber[0];

    final Subscriber[] all;
    final Subscriber[][] byBit = new Subscriber[64][];
    final long presentBits;

    RouteTable(Subscriber[] subscribers) {
        this.all = subscribers;
        long bits = 0;
        @SuppressWarnings("unchecked")
        List<Subscriber>[] lists = new List[64];
        for (Subscriber s : subscribers) {
            if (s.componentId >= 0) {
                if (lists[s.componentId] == null) {
                    lists[s.componentId] = new ArrayList<>();
                }
                lists[s.componentId].add(s);
                bits |= 1L << s.componentId;
            }
        }
        for (int i = 0; i < 64; i++) {
            byBit[i] = lists[i] == null ? NONE : lists[i].toArray(NONE);
        }
        this.presentBits = bits;
    }

    boolean isEmpty() {
        return all.length == 0;
    }

    /** How many subscribers a packet with this mask reaches. */
    int count(long mask) {
        if (mask == -1L) {
            return all.length;
        }
        int n = 0;
        long bits = mask & presentBits;
        while (bits != 0) {
            n += byBit[Long.numberOfTrailingZeros(bits)].length;
            bits &= bits - 1;
        }
        return n;
    }
}
