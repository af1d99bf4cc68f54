package io.chronofabric.scheduler.internal;

import java.util.Arrays;

/**
 * A 4-ary min-heap of slot numbers ordered by two primitive keys ({@code key}, then {@code tie}),
 * in parallel primitive arrays: sifting compares and moves longs and ints only. It holds no
 * reference to an element (the scheduler keeps its handles in a {@link SlotTable} and queues their
 * slot numbers here), so no add, poll or sift stores a reference (a {@link java.util.PriorityQueue}
 * loads each element it compares, a cache miss per level on a large queue, and every level's move
 * is a reference store with its garbage-collector write barrier). Four children per entry: half
 * the levels of a binary heap, and a poll compares siblings that sit side by side. The arrays grow by half when
 * full; nothing is allocated per add or poll. Not thread-safe: the scheduler uses it under its lock.
 */
final class KeyedHeap {

    private long[] keys;
    private long[] ties;
    private int[] slots;
    private int size;

    KeyedHeap(int capacity) {
        int c = Math.max(2, capacity);
        keys = new long[c];
        ties = new long[c];
        slots = new int[c];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds {@code slot} ordered by ({@code key}, {@code tie}). */
    void add(int slot, long key, long tie) {
        if (slot < 0) {
            throw new IllegalArgumentException("a heap slot is negative: " + slot);
        }
        int i = size;
        if (i == keys.length) {
            int c = i + (i >> 1);
            keys = Arrays.copyOf(keys, c);
            ties = Arrays.copyOf(ties, c);
            slots = Arrays.copyOf(slots, c);
        }
        size = i + 1;
        siftUp(i, slot, key, tie);
    }

    /** The slot of the least entry, or -1 when empty. */
    int peek() {
        return size == 0 ? -1 : slots[0];
    }

    /** The key of the least entry; {@link Long#MAX_VALUE} when empty. */
    long peekKey() {
        return size == 0 ? Long.MAX_VALUE : keys[0];
    }

    /** The tie of the least entry; {@link Long#MAX_VALUE} when empty. */
    long peekTie() {
        return size == 0 ? Long.MAX_VALUE : ties[0];
    }

    /** Removes the least entry and returns its slot, or -1 when empty. */
    int poll() {
        if (size == 0) {
            return -1;
        }
        int top = slots[0];
        int n = --size;
        if (n > 0) {
            siftDown(0, slots[n], keys[n], ties[n]);
        }
        return top;
    }

    /** Removes the entry of {@code slot} (a linear search: for cancellation). @return whether it was there */
    boolean remove(int slot) {
        int[] ss = slots;
        for (int i = 0; i < size; i++) {
            if (ss[i] == slot) {
                int n = --size;
                if (i < n) {
                    int s = ss[n];
                    long k = keys[n];
                    long t = ties[n];
                    siftDown(i, s, k, t);
                    if (ss[i] == s) {
                        siftUp(i, s, k, t); // it did not go down: it may have to go up
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** Adds {@code delta} to every key (the order stays as it is: for a re-base of every queued time). */
    void shiftKeys(long delta) {
        for (int i = 0; i < size; i++) {
            keys[i] += delta;
        }
    }

    /** The slot of entry {@code i}, 0 &lt;= i &lt; size, in no particular order (for iterating). */
    int slotAt(int i) {
        return slots[i];
    }

    void clear() {
        size = 0;
    }

    private void siftUp(int i, int slot, long k, long t) {
        int[] ss = slots;
        long[] ks = keys;
        long[] ts = ties;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pk = ks[parent];
            if (k > pk || (k == pk && t >= ts[parent])) {
                break;
            }
            ss[i] = ss[parent];
            ks[i] = pk;
            ts[i] = ts[parent];
            i = parent;
        }
        ss[i] = slot;
        ks[i] = k;
        ts[i] = t;
    }

    private void siftDown(int i, int slot, long k, long t) {
        int[] ss = slots;
        long[] ks = keys;
        long[] ts = ties;
        int n = size;
        while (true) {
            int c = (i << 2) + 1;
            if (c >= n) {
                break;
            }
            // the least of up to four children (adjacent: one or two cache lines); ties are read only on equal keys
            int m = c;
            long mk = ks[c];
            int end = Math.min(c + 4, n);
            for (int j = c + 1; j < end; j++) {
                long jk = ks[j];
                if (jk < mk || (jk == mk && ts[j] < ts[m])) {
                    m = j;
                    mk = jk;
                }
            }
            if (mk > k || (mk == k && ts[m] >= t)) {
                break;
            }
            ss[i] = ss[m];
            ks[i] = mk;
            ts[i] = ts[m];
            i = m;
        }
        ss[i] = slot;
        ks[i] = k;
        ts[i] = t;
    }
}
