package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyedHeapTest {

    /** An entry: its slot and its two keys; the reference queue orders by the same keys. */
    record E(int slot, long key, long tie) {
    }

    private static final Comparator<E> ORDER = Comparator.comparingLong(E::key).thenComparingLong(E::tie);

    @Test
    void shouldPollInTheSameOrderAsAPriorityQueueOverRandomAddsPollsRemovalsAndShifts() {
        KeyedHeap heap = new KeyedHeap(2); // starts small: exercises growth
        PriorityQueue<E> reference = new PriorityQueue<>(ORDER);
        List<E> bySlot = new ArrayList<>();
        Random r = new Random(17);
        long tie = 0;
        for (int op = 0; op < 200_000; op++) {
            int what = r.nextInt(40);
            if (what < 21) {
                E e = new E(bySlot.size(), r.nextInt(500), tie++); // many equal keys: the tie decides
                bySlot.add(e);
                heap.add(e.slot(), e.key(), e.tie());
                reference.add(e);
            } else if (what < 37) {
                E head = reference.peek();
                assertThat(heap.peekKey()).isEqualTo(head == null ? Long.MAX_VALUE : head.key());
                assertThat(heap.peekTie()).isEqualTo(head == null ? Long.MAX_VALUE : head.tie());
                assertThat(heap.peek()).isEqualTo(head == null ? -1 : head.slot());
                E polled = reference.poll();
                assertThat(heap.poll()).isEqualTo(polled == null ? -1 : polled.slot());
            } else if (what < 39) {
                int slot = r.nextInt(bySlot.size() + 1) - 1; // sometimes one never added (-1) or already polled
                E e = slot < 0 ? null : bySlot.get(slot);
                boolean there = e != null && reference.remove(e);
                assertThat(heap.remove(slot)).isEqualTo(there);
            } else {
                long delta = r.nextInt(1000) - 500; // a re-base: every key moves, the order stays
                heap.shiftKeys(delta);
                List<E> shifted = new ArrayList<>();
                for (E e : reference) {
                    E s = new E(e.slot(), e.key() + delta, e.tie());
                    shifted.add(s);
                    bySlot.set(e.slot(), s);
                }
                reference.clear();
                reference.addAll(shifted);
            }
            assertThat(heap.size()).isEqualTo(reference.size());
        }
        List<Integer> inHeap = new ArrayList<>();
        for (int i = 0; i < heap.size(); i++) {
            inHeap.add(heap.slotAt(i));
        }
        assertThat(inHeap).containsExactlyInAnyOrderElementsOf(reference.stream().map(E::slot).toList());
        List<Integer> drained = new ArrayList<>();
        int s;
        while ((s = heap.poll()) >= 0) {
            drained.add(s);
        }
        List<E> expected = new ArrayList<>(reference);
        expected.sort(ORDER);
        assertThat(drained).containsExactlyElementsOf(expected.stream().map(E::slot).toList());
        assertThat(heap.isEmpty()).isTrue();
    }

    @Test
    void shouldBeEmptyAfterClearAndStillWork() {
        KeyedHeap heap = new KeyedHeap(4);
        heap.add(7, 2, 0);
        heap.add(8, 1, 0);
        heap.clear();
        assertThat(heap.poll()).isEqualTo(-1);
        heap.add(1, 5, 1);
        heap.add(0, 5, 0);
        assertThat(heap.poll()).as("equal keys: the lower tie first").isZero();
        assertThat(heap.poll()).isEqualTo(1);
    }
}
