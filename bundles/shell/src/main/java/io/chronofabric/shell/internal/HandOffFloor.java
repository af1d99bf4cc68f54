package io.chronofabric.shell.internal;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The raw floor for {@code csf:bench --floor}: a single-producer single-consumer ring of
 * references handed to a consumer thread that waits the way the bus's consumers do (the bus's
 * {@code wait.strategy}: busy-spin, yield, park or backoff). No stamping, routing, queues per
 * priority or statistics: what a packet costs with nothing but the hand-off, in this JVM, now.
 */
final class HandOffFloor implements AutoCloseable {

    /** A sent item: when it was sent, by {@link System#nanoTime()}. */
    private static final class Item {
        final long sentAt;

        Item(long sentAt) {
            this.sentAt = sentAt;
        }
    }

    private static final int CAPACITY = 1 << 14;
    private static final int MASK = CAPACITY - 1;

    private final AtomicReferenceArray<Item> ring = new AtomicReferenceArray<>(CAPACITY);
    private final PaddedLong head = new PaddedLong(); // next to take, written by the consumer
    private final PaddedLong tail = new PaddedLong(); // next to fill, written by the producer
    private final AtomicReference<Thread> sleeper = new AtomicReference<>();
    private final String strategy;
    private final long spinNanos;
    private final long yieldNanos;
    private final Thread consumer;
    private volatile boolean stop;
    private volatile LongConsumer onLatency = v -> { };

    /** A long on a cache line of its own. */
    @SuppressWarnings("unused")
    private static final class PaddedLong extends AtomicLong {
        long p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
    }

    HandOffFloor(String strategy, long spinNanos, long yieldNanos) {
        this.strategy = strategy.toLowerCase(Locale.ROOT);
        if (!this.strategy.equals("busy-spin") && !this.strategy.equals("yield") && !this.strategy.equals("park")
                && !this.strategy.equals("backoff")) {
            throw new IllegalArgumentException("wait strategy '" + strategy + "' is not one of backoff, park, yield, busy-spin");
        }
        this.spinNanos = spinNanos;
        this.yieldNanos = yieldNanos;
        this.consumer = new Thread(this::consume, "csf-bench-floor");
        this.consumer.setDaemon(true);
        this.consumer.start();
    }

    String strategy() {
        return strategy;
    }

    /** Items taken so far. */
    long taken() {
        return head.get();
    }

    /** Sends one item stamped now; spins while the ring is full. */
    void send() {
        long t = tail.get();
        while (t - head.get() >= CAPACITY) {
            Thread.onSpinWait();
        }
        ring.lazySet((int) (t & MASK), new Item(System.nanoTime()));
        tail.lazySet(t + 1);
        Thread s = sleeper.get();
        if (s != null && sleeper.compareAndSet(s, null)) {
            LockSupport.unpark(s);
        }
    }

    /** Throughput: {@code n} items with up to {@code window} in flight; items per second. */
    double throughput(long n, long window) {
        onLatency = v -> { };
        long base = head.get();
        long start = System.nanoTime();
        for (long i = 0; i < n; i++) {
            while (i - (head.get() - base) > window) {
                Thread.onSpinWait();
            }
            send();
        }
        while (head.get() - base < n) {
            Thread.onSpinWait();
        }
        return n * 1e9 / (System.nanoTime() - start);
    }

    /** One item in flight at a time: send, wait until taken; each hand-off's latency. */
    long[] latency(int samples) {
        long[] out = new long[samples];
        int[] i = new int[1];
        onLatency = v -> out[i[0]] = v;
        for (int k = 0; k < samples; k++) {
            i[0] = k;
            long before = head.get();
            send();
            while (head.get() == before) {
                Thread.onSpinWait();
            }
        }
        onLatency = v -> { };
        return out;
    }

    /** Items paced at {@code rate} per second; each hand-off's latency. */
    long[] latencyAtRate(int samples, int rate) {
        long[] out = new long[samples];
        AtomicLong n = new AtomicLong();
        onLatency = v -> {
            long k = n.get();
            if (k < out.length) {
                out[(int) k] = v;
            }
            n.lazySet(k + 1);
        };
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 1_000_000;
        for (int k = 0; k < samples; k++) {
            Pacing.until(start + k * period);
            send();
        }
        long end = System.nanoTime() + 10_000_000_000L;
        while (n.get() < samples && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        onLatency = v -> { };
        return out;
    }

    private void consume() {
        int emptyPolls = 0;
        long idleSince = 0;
        while (!stop) {
            long h = head.get();
            Item item = h < tail.get() ? ring.get((int) (h & MASK)) : null;
            if (item != null) {
                onLatency.accept(System.nanoTime() - item.sentAt);
                ring.lazySet((int) (h & MASK), null);
                head.lazySet(h + 1);
                emptyPolls = 0;
                continue;
            }
            long now = System.nanoTime();
            if (++emptyPolls == 1) {
                idleSince = now;
            }
            if (idle(emptyPolls, now - idleSince)) {
                sleeper.set(Thread.currentThread());
                if (head.get() == tail.get() && !stop) {
                    LockSupport.parkNanos(this, 50_000_000L);
                }
                sleeper.set(null);
                if (!strategy.equals("backoff")) {
                    emptyPolls = 0;
                }
            }
        }
    }

    /** The bus's strategies, as documented for {@code wait.strategy}: true when the consumer should park. */
    private boolean idle(int emptyPolls, long idleNanos) {
        switch (strategy) {
            case "busy-spin":
                Thread.onSpinWait();
                return false;
            case "yield":
                if (emptyPolls < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                return false;
            case "park":
                if (emptyPolls < 200) {
                    Thread.onSpinWait();
                    return false;
                }
                if (emptyPolls < 300) {
                    Thread.yield();
                    return false;
                }
                return true;
            default:
                if (idleNanos < spinNanos) {
                    Thread.onSpinWait();
                    return false;
                }
                if (idleNanos < yieldNanos) {
                    Thread.yield();
                    return false;
                }
                return true;
        }
    }

    @Override
    public void close() {
        stop = true;
        LockSupport.unpark(consumer);
    }

    /** Sending on a schedule without hogging the core: park while far, yield while near, spin the last microseconds. */
    static final class Pacing {
        private Pacing() {
        }

        static void until(long at) {
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                if (wait > 120_000) {
                    LockSupport.parkNanos(wait - 60_000);
                } else if (wait > 5_000) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
