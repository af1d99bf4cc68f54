package io.chronofabric.ledger.internal;

import static io.chronofabric.ledger.internal.RecorderTestSupport.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PhasePacket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordQueueTest {

    /** Takes everything into lists. */
    private static final class Taken implements RecordQueue.Sink {
        final List<Object> payloads = new ArrayList<>();
        final List<Long> positions = new ArrayList<>();
        int limit = Integer.MAX_VALUE;

        @Override
        public boolean full() {
            return payloads.size() >= limit;
        }

        @Override
        public void accept(PhasePacket<?> packet, String channel, long position) {
            payloads.add(packet.payload());
            positions.add(position);
        }
    }

    @Test
    void shouldKeepOrderRefuseWhenFullAndReuseSlots() {
        RecordQueue q = new RecordQueue(5, 0);
        assertThat(q.capacity()).isEqualTo(8);
        for (int i = 0; i < 8; i++) {
            assertThat(q.offer(packet(i, "c"), "c")).isEqualTo(RecordQueue.OK);
        }
        assertThat(q.offer(packet(8, "c"), "c")).isEqualTo(RecordQueue.FULL);
        Taken t = new Taken();
        t.limit = 3;
        assertThat(q.drainTo(t)).isEqualTo(3);
        for (int i = 8; i < 11; i++) {
            assertThat(q.offer(packet(i, "c"), "c")).isEqualTo(RecordQueue.OK);
        }
        t.limit = Integer.MAX_VALUE;
        q.drainTo(t);
        assertThat(t.payloads).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(q.size()).isZero();
    }

    @Test
    void shouldRefuseOffersOnceSealedAndContinuePositionsInTheSuccessor() {
        RecordQueue q = new RecordQueue(16, 100);
        q.offer(packet("a", "c"), "c");
        q.offer(packet("b", "c"), "c");
        long end = q.seal();
        assertThat(end).isEqualTo(102);
        assertThat(q.offer(packet("late", "c"), "c")).isEqualTo(RecordQueue.SEALED);
        assertThat(q.drained()).isFalse();
        Taken t = new Taken();
        q.drainTo(t);
        assertThat(q.drained()).isTrue();

        RecordQueue next = new RecordQueue(16, end);
        next.offer(packet("c", "c"), "c");
        next.drainTo(t);
        assertThat(t.payloads).containsExactly("a", "b", "c");
        assertThat(t.positions).containsExactly(100L, 101L, 102L);
    }

    @Test
    void shouldDeliverEveryPacketOfManyProducersOnceAndInEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 50_000;
        RecordQueue q = new RecordQueue(1024, 0);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<String> crashed = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    PhasePacket<Object> packet = packet((long) id << 32 | i, "c");
                    while (q.offer(packet, "c") != RecordQueue.OK) {
                        Thread.onSpinWait();
                    }
                }
            });
            t.setUncaughtExceptionHandler((th, e) -> crashed.add(th.getName() + ": " + e));
            t.start();
            threads.add(t);
        }
        int[] next = new int[producers];
        List<String> errors = new ArrayList<>();
        long[] count = {0};
        RecordQueue.Sink sink = new RecordQueue.Sink() {
            @Override
            public boolean full() {
                return false;
            }

            @Override
            public void accept(PhasePacket<?> packet, String channel, long position) {
                long v = (Long) packet.payload();
                int producer = (int) (v >>> 32);
                int seq = (int) v;
                if (seq != next[producer] || position != count[0]) {
                    errors.add("producer " + producer + ": got packet " + seq + " at position " + position + ", expected packet "
                            + next[producer] + " at " + count[0]);
                }
                next[producer] = seq + 1;
                count[0]++;
            }
        };
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count[0] < (long) producers * perProducer) {
            if (q.drainTo(sink) == 0) {
                Thread.onSpinWait();
                assertThat(crashed).as("producers").isEmpty();
                assertThat(System.nanoTime() - deadline).as("drained in time").isNegative();
            }
        }
        assertThat(errors).as("order and positions").isEmpty();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(q.size()).isZero();
        assertThat(next).containsOnly(perProducer);
    }
}
