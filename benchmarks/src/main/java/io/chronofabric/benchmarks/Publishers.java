package io.chronofabric.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a throughput run: {@code publishers} threads share {@code messages}, each message reaching
 * {@code fanOut} handlers that count into {@code received}; waits for every delivery. One driver for
 * our bus, the raw floors and the OSGi peers, so all of them are pushed the same way.
 */
public final class Publishers {

    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Sends message {@code i} of publisher {@code publisher}. */
    @FunctionalInterface
    public interface Send {
        void send(int publisher, long i);
    }

    private Publishers() {
    }

    /**
     * @param window at most this many deliveries in flight (sent x fanOut - received), or 0 for no
     *               flow control (then no shared counter is touched per send)
     * @return messages published per second, up to the last delivery
     * @throws IllegalStateException if the deliveries do not all arrive within 60 s
     */
    public static double drive(int publishers, int messages, int fanOut, long window, AtomicLong received, Send send)
            throws InterruptedException {
        int each = messages / publishers;
        long total = (long) each * publishers * fanOut;
        AtomicLong sent = new AtomicLong();
        Thread[] threads = new Thread[publishers];
        long start = System.nanoTime();
        for (int p = 0; p < publishers; p++) {
            int id = p;
            threads[p] = new Thread(() -> {
                for (long i = 0; i < each; i++) {
                    if (window > 0) {
                        while (sent.get() * fanOut - received.get() > window) {
                            Thread.onSpinWait();
                        }
                    }
                    send.send(id, i);
                    if (window > 0) {
                        sent.incrementAndGet();
                    }
                }
            }, "benchmark-publisher-" + p);
            threads[p].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (received.get() < total && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        if (received.get() < total) {
            throw new IllegalStateException("only " + received.get() + " of " + total + " deliveries arrived within 60 s");
        }
        return (long) each * publishers * 1e9 / (System.nanoTime() - start);
    }
}
