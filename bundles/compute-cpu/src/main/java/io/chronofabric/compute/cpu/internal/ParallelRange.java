package io.chronofabric.compute.cpu.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits an elementwise loop over [0, n) across the engine's worker threads and the caller:
 * about four chunks per thread (multiples of 16 elements, so that two threads write one cache
 * line at most at each boundary), claimed by whichever thread is free, the caller included, so
 * nothing waits for a worker the OS has not scheduled yet (as {@link SgemmSupport}'s products).
 * Below {@link #MIN_WORK} (elements times a per-element cost: 256 Ki adds, 13 Ki exps) one thread does it all: waking a
 * worker costs a few microseconds.
 */
final class ParallelRange {

    /** Elements x cost below which one thread runs the loop (measured: an addf of 64 Ki floats gained nothing split, exp did x1.75). */
    static final long MIN_WORK = 1L << 18;

    /** A loop body over [lo, hi). */
    @FunctionalInterface
    interface Body {
        void run(int lo, int hi);
    }

    private ParallelRange() {
    }

    /**
     * Runs {@code body} over [0, n), split when {@code n * cost >= MIN_WORK} and there are
     * workers. A failure in any chunk (an integer division by zero) is rethrown on the caller
     * after every claimed chunk finished; chunks not yet started are skipped.
     *
     * @param cost relative cost of one element (1 for an add, ~20 for exp or tanh)
     */
    static void run(ExecutorService pool, int threads, int n, int cost, Body body) {
        if (!splits(pool, threads, n, cost)) {
            body.run(0, n);
            return;
        }
        int chunks = threads * 4;
        int per = ((n + chunks - 1) / chunks + 15) & ~15;
        Job job = new Job(n, per, body);
        int helpers = Math.min(threads - 1, job.chunks - 1);
        for (int i = 0; i < helpers; i++) {
            try {
                pool.execute(job);
            } catch (RejectedExecutionException e) {
                break; // shutting down (reconfiguration): the caller does the rest
            }
        }
        job.run();
        job.awaitDone();
    }

    static boolean splits(ExecutorService pool, int threads, int n, int cost) {
        return pool != null && threads >= 2 && (long) n * cost >= MIN_WORK;
    }

    /** Number of chunks {@link #run} makes of n elements for {@code threads} (for tests). */
    static int chunks(int n, int threads) {
        int chunks = threads * 4;
        int per = ((n + chunks - 1) / chunks + 15) & ~15;
        return (n + per - 1) / per;
    }

    private static final class Job implements Runnable {
        final int n;
        final int per;
        final int chunks;
        final Body body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(int n, int per, Body body) {
            this.n = n;
            this.per = per;
            this.chunks = (n + per - 1) / per;
            this.body = body;
        }

        @Override
        public void run() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    if (failure == null) {
                        int lo = c * per;
                        body.run(lo, Math.min(n, lo + per));
                    }
                } catch (RuntimeException | Error e) {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    done.incrementAndGet();
                }
            }
        }

        void awaitDone() {
            int spins = 0;
            while (done.get() < chunks) {
                if (spins < 64) {
                    Thread.onSpinWait();
                } else if (spins < 1024) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(20_000);
                }
                spins++;
            }
            Throwable f = failure;
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
        }
    }
}
