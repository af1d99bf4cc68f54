package io.chronofabric.scheduler.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A binary min-heap ordered by two primitive keys ({@code key}, then {@code tie}), copied into
 * parallel arrays when an element is added: sifting compares longs in arrays and never follows a
 * reference to an element (a {@link java.util.PriorityQueue} with a comparator loads each element it
 * compares, a cache miss per level on a large queue, and every level's move is a reference store
 * with its garbage-collector write barrier; here an entry names its element by a slot number, and
 * only add and poll touch the element table). The arrays grow by half when full; nothing is
 * allocated per add or poll. Not thread-safe: the scheduler uses it under its lock.
 *
 * @param <E> the elements
 */
final class KeyedHeap<E> {

    // the heap: keys, ties and the slot of each entry's element, in parallel arrays (sifting moves primitives only:
    // no reference store, so no garbage-collector write barrier per level)
    private long[] keys;
    private long[] ties;
    private int[] refs;
    private int size;
    // the elements, each in a slot that stays put while its entry moves; free slots are kept on a stack
    private Object[] slots;
    private int[] free;
    private int freeCount;
    private int slotsUsed;

    KeyedHeap(int capacity) {
        int c = Math.max(2, capacity);
        keys = new long[c];
        ties = new long[c];
        refs = new int[c];
        slots = new Object[c];
        free = new int[c];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds {@code e} ordered by ({@code key}, {@code tie}). */
    void add(E e, long key, long tie) {
        if (e == null) {
            throw new NullPointerException("a heap element is null");
        }
        int i = size;
        if (i == keys.length) {
            int c = i + (i >> 1);
            keys = Arrays.copyOf(keys, c);
            ties = Arrays.copyOf(ties, c);
            refs = Arrays.copyOf(refs, c);
            slots = Arrays.copyOf(slots, c);
            free = Arrays.copyOf(free, c);
        }
        int slot = freeCount > 0 ? free[--freeCount] : slotsUsed++;
        slots[slot] = e;
        size = i + 1;
        siftUp(i, slot, key, tie);
    }

    /** The least element, or null when empty. */
    @SuppressWarnings("unchecked")
    E peek() {
        return size == 0 ? null : (E) slots[refs[0]];
    }

    /** The key of the least element; {@link Long#MAX_VALUE} when empty. */
    long peekKey() {
        return size == 0 ? Long.MAX_VALUE : keys[0];
    }

    /** Removes and returns the least element, or null when empty. */
    @SuppressWarnings("unchecked")
    E poll() {
        if (size == 0) {
            return null;
        }
        int topSlot = refs[0];
        E top = (E) slots[topSlot];
        slots[topSlot] = null;
        free[freeCount++] = topSlot;
        int n = --size;
        if (n > 0) {
            siftDown(0, refs[n], keys[n], ties[n]);
        }
        return top;
    }

    /** Removes every element {@code filter} accepts (then restores the heap order in linear time). */
    @SuppressWarnings("unchecked")
    boolean removeIf(Predicate<? super E> filter) {
        int w = 0;
        for (int r = 0; r < size; r++) {
            int slot = refs[r];
            if (filter.test((E) slots[slot])) {
                slots[slot] = null;
                free[freeCount++] = slot;
            } else {
                refs[w] = slot;
                keys[w] = keys[r];
                ties[w] = ties[r];
                w++;
            }
        }
        if (w == size) {
            return false;
        }
        size = w;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, refs[i], keys[i], ties[i]);
        }
        return true;
    }

    /** The elements, in no particular order. */
    @SuppressWarnings("unchecked")
    List<E> toList() {
        List<E> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add((E) slots[refs[i]]);
        }
        return list;
    }

    void clear() {
        Arrays.fill(slots, 0, slotsUsed, null);
        size = 0;
        freeCount = 0;
        slotsUsed = 0;
    }

    private static boolean less(long k1, long t1, long k2, long t2) {
        return k1 < k2 || (k1 == k2 && t1 < t2);
    }

    private void siftUp(int i, int slot, long k, long t) {
        int[] rs = refs;
        long[] ks = keys;
        long[] ts = ties;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long pk = ks[parent];
            long pt = ts[parent];
            if (!less(k, t, pk, pt)) {
                break;
            }
            rs[i] = rs[parent];
            ks[i] = pk;
            ts[i] = pt;
            i = parent;
        }
        rs[i] = slot;
        ks[i] = k;
        ts[i] = t;
    }

    private void siftDown(int i, int slot, long k, long t) {
        int[] rs = refs;
        long[] ks = keys;
        long[] ts = ties;
        int n = size;
        int half = n >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            int r = c + 1;
            long ck = ks[c];
            long ct = ts[c];
            if (r < n && less(ks[r], ts[r], ck, ct)) {
                c = r;
                ck = ks[r];
                ct = ts[r];
            }
            if (!less(ck, ct, k, t)) {
                break;
            }
            rs[i] = rs[c];
            ks[i] = ck;
            ts[i] = ct;
            i = c;
        }
        rs[i] = slot;
        ks[i] = k;
        ts[i] = t;
    }
}
