package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyedHeapTest {

    /** An element and its two keys; the reference queue orders by the same keys. */
    record E(long key, long tie) {
    }

    private static final Comparator<E> ORDER = Comparator.comparingLong(E::key).thenComparingLong(E::tie);

    @Test
    void shouldPollInTheSameOrderAsAPriorityQueueOverRandomAddsPollsAndRemovals() {
        KeyedHeap<E> heap = new KeyedHeap<>(2); // starts small: exercises growth
        PriorityQueue<E> reference = new PriorityQueue<>(ORDER);
        Random r = new Random(17);
        long tie = 0;
        for (int op = 0; op < 200_000; op++) {
            int what = r.nextInt(20);
            if (what < 11) {
                E e = new E(r.nextInt(500), tie++); // many equal keys: the tie decides
                heap.add(e, e.key(), e.tie());
                reference.add(e);
            } else if (what < 19) {
                assertThat(heap.peekKey()).isEqualTo(reference.isEmpty() ? Long.MAX_VALUE : reference.peek().key());
                assertThat(heap.peek()).isSameAs(reference.peek());
                assertThat(heap.poll()).isSameAs(reference.poll());
            } else {
                long k = r.nextInt(500);
                assertThat(heap.removeIf(e -> e.key() == k)).isEqualTo(reference.removeIf(e -> e.key() == k));
            }
            assertThat(heap.size()).isEqualTo(reference.size());
        }
        assertThat(heap.toList()).containsExactlyInAnyOrderElementsOf(reference);
        List<E> drained = new ArrayList<>();
        E e;
        while ((e = heap.poll()) != null) {
            drained.add(e);
        }
        List<E> expected = new ArrayList<>(reference);
        expected.sort(ORDER);
        assertThat(drained).containsExactlyElementsOf(expected);
        assertThat(heap.isEmpty()).isTrue();
    }

    @Test
    void shouldBeEmptyAfterClearAndStillWork() {
        KeyedHeap<String> heap = new KeyedHeap<>(4);
        heap.add("b", 2, 0);
        heap.add("a", 1, 0);
        heap.clear();
        assertThat(heap.poll()).isNull();
        heap.add("late", 5, 1);
        heap.add("early", 5, 0);
        assertThat(heap.poll()).isEqualTo("early");
        assertThat(heap.poll()).isEqualTo("late");
    }
}
