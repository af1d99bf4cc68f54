package io.chronofabric.scheduler.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A binary min-heap ordered by two primitive keys ({@code key}, then {@code tie}), copied into
 * parallel arrays when an element is added: sifting compares longs in arrays and never follows a
 * reference to an element (a {@link java.util.PriorityQueue} with a comparator loads each element it
 * compares, a cache miss per level on a large queue). The arrays grow by half when full; nothing is
 * allocated per add or poll. Not thread-safe: the scheduler uses it under its lock.
 *
 * @param <E> the elements
 */
final class KeyedHeap<E> {

    private Object[] items;
    private long[] keys;
    private long[] ties;
    private int size;

    KeyedHeap(int capacity) {
        int c = Math.max(2, capacity);
        items = new Object[c];
        keys = new long[c];
        ties = new long[c];
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
        if (i == items.length) {
            int c = i + (i >> 1);
            items = Arrays.copyOf(items, c);
            keys = Arrays.copyOf(keys, c);
            ties = Arrays.copyOf(ties, c);
        }
        size = i + 1;
        siftUp(i, e, key, tie);
    }

    /** The least element, or null when empty. */
    @SuppressWarnings("unchecked")
    E peek() {
        return size == 0 ? null : (E) items[0];
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
        E top = (E) items[0];
        int n = --size;
        Object last = items[n];
        long k = keys[n];
        long t = ties[n];
        items[n] = null;
        if (n > 0) {
            siftDown(0, last, k, t);
        }
        return top;
    }

    /** Removes every element {@code filter} accepts (then restores the heap order in linear time). */
    @SuppressWarnings("unchecked")
    boolean removeIf(Predicate<? super E> filter) {
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (!filter.test((E) items[r])) {
                items[w] = items[r];
                keys[w] = keys[r];
                ties[w] = ties[r];
                w++;
            }
        }
        if (w == size) {
            return false;
        }
        Arrays.fill(items, w, size, null);
        size = w;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, items[i], keys[i], ties[i]);
        }
        return true;
    }

    /** The elements, in no particular order. */
    @SuppressWarnings("unchecked")
    List<E> toList() {
        List<E> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add((E) items[i]);
        }
        return list;
    }

    void clear() {
        Arrays.fill(items, 0, size, null);
        size = 0;
    }

    private static boolean less(long k1, long t1, long k2, long t2) {
        return k1 < k2 || (k1 == k2 && t1 < t2);
    }

    private void siftUp(int i, Object e, long k, long t) {
        Object[] it = items;
        long[] ks = keys;
        long[] ts = ties;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long pk = ks[parent];
            long pt = ts[parent];
            if (!less(k, t, pk, pt)) {
                break;
            }
            it[i] = it[parent];
            ks[i] = pk;
            ts[i] = pt;
            i = parent;
        }
        it[i] = e;
        ks[i] = k;
        ts[i] = t;
    }

    private void siftDown(int i, Object e, long k, long t) {
        Object[] it = items;
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
            it[i] = it[c];
            ks[i] = ck;
            ts[i] = ct;
            i = c;
        }
        it[i] = e;
        ks[i] = k;
        ts[i] = t;
    }
}
