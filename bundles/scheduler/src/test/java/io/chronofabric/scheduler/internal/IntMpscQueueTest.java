package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class IntMpscQueueTest {

    @Test
    void shouldGiveValuesBackInOrderAndRefuseWhenFull() {
        IntMpscQueue q = new IntMpscQueue(4);
        assertThat(q.poll()).isEqualTo(-1);
        for (int round = 0; round < 3; round++) { // wraps around the ring
            for (int i = 0; i < 4; i++) {
                assertThat(q.offer(10 * round + i)).isTrue();
            }
            assertThat(q.offer(99)).as("full").isFalse();
            for (int i = 0; i < 4; i++) {
                assertThat(q.poll()).isEqualTo(10 * round + i);
            }
            assertThat(q.poll()).isEqualTo(-1);
        }
    }

    @Test
    void shouldRefuseANegativeValueAndABadCapacity() {
        assertThatThrownBy(() -> new IntMpscQueue(4).offer(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IntMpscQueue(6)).hasMessageContaining("power of two");
    }

    @Test
    void shouldDeliverEveryValueOfManyProducersOnceAndInEachProducersOrder() throws InterruptedException {
        IntMpscQueue q = new IntMpscQueue(64); // small: producers often find it full and retry
        int producers = 4;
        int each = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    while (!q.offer(id * each + i)) {
                        Thread.onSpinWait();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        int[] next = new int[producers]; // each producer's values arrive in its order
        int got = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (got < producers * each && System.nanoTime() < deadline) {
            int v = q.poll();
            if (v < 0) {
                Thread.onSpinWait();
                continue;
            }
            int p = v / each;
            assertThat(v % each).isEqualTo(next[p]);
            next[p]++;
            got++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(got).isEqualTo(producers * each);
        assertThat(q.poll()).isEqualTo(-1);
    }
}
