package io.chronofabric.scheduler.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scheduler's admitted tasks, each in a numbered slot that stays its own until the task ends:
 * the ready and release queues ({@link KeyedHeap}) hold slot numbers, so admitting a task stores
 * one reference (here) and ending it clears one; no hash, no probing, no map entry. Freed slots are
 * reused, most recently freed first. Not thread-safe: the scheduler's lock guards it.
 *
 * @param <E> the elements
 */
final class SlotTable<E> {

    private Object[] elements;
    private int[] free;
    private int freeCount;
    private int used; // slots [0, used) have been handed out at least once
    private int size;

    SlotTable(int capacity) {
        int c = Math.max(2, capacity);
        elements = new Object[c];
        free = new int[c];
    }

    int size() {
        return size;
    }

    /** Puts {@code e} in a free slot. @return its slot */
    int add(E e) {
        if (e == null) {
            throw new NullPointerException("a slot table element is null");
        }
        int s;
        if (freeCount > 0) {
            s = free[--freeCount];
        } else {
            s = used;
            if (s == elements.length) {
                int c = s + (s >> 1);
                elements = Arrays.copyOf(elements, c);
                free = Arrays.copyOf(free, c);
            }
            used = s + 1;
        }
        elements[s] = e;
        size++;
        return s;
    }

    /** Slots [0, slotsUsed()) have been handed out at least once (for a search: free ones hold null). */
    int slotsUsed() {
        return used;
    }

    /** The element in {@code slot}, or null when the slot is free. */
    @SuppressWarnings("unchecked")
    E get(int slot) {
        return (E) elements[slot];
    }

    /** Frees {@code slot}. @return the element it held, or null if it was free */
    @SuppressWarnings("unchecked")
    E remove(int slot) {
        E e = (E) elements[slot];
        if (e != null) {
            elements[slot] = null;
            free[freeCount++] = slot;
            size--;
        }
        return e;
    }

    /** The elements, in slot order. */
    @SuppressWarnings("unchecked")
    List<E> values() {
        List<E> out = new ArrayList<>(size);
        for (int i = 0; i < used; i++) {
            Object e = elements[i];
            if (e != null) {
                out.add((E) e);
            }
        }
        return out;
    }
}
