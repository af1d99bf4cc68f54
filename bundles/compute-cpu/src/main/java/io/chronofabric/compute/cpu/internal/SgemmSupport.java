package io.chronofabric.compute.cpu.internal;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Chooses the sgemm kernel (the Vector API one when jdk.incubator.vector can be loaded, else the
 * scalar one) and splits large products into row blocks over the backend's threads.
 */
final class SgemmSupport {

    /** Below this many multiply-adds one thread does it all (forking costs ~10-50 µs). */
    static final long PARALLEL_MIN_FLOPS = 1L << 21;

    private SgemmSupport() {
    }

    /** The Vector API kernel, or null with the reason in {@code why[0]}. */
    static Sgemm vectorOrNull(String[] why) {
        try {
            Class.forName("jdk.incubator.vector.FloatVector", false, SgemmSupport.class.getClassLoader());
            Sgemm s = new VectorSgemm();
            // a tiny product proves the intrinsics link
            float[] c = new float[1];
            s.multiply(0, 1, 1, 1, new float[] {2f}, new float[] {3f}, c, new Sgemm.Workspace());
            if (c[0] != 6f) {
                why[0] = "the Vector API kernel computed 2*3=" + c[0];
                return null;
            }
            return s;
        } catch (ClassNotFoundException | LinkageError e) {
            why[0] = "jdk.incubator.vector is not available (" + e + "): start the JVM with --add-modules"
                    + " jdk.incubator.vector and export the package to bundles";
            return null;
        }
    }

    /**
     * C += A*B with {@code threads} row blocks when large enough; each thread packs into its own
     * {@code workspaces} buffer.
     */
    static void multiply(Sgemm kernel, int m, int n, int k, float[] a, float[] b, float[] c, ExecutorService pool,
            int threads, ThreadLocal<Sgemm.Workspace> workspaces) {
        multiply(kernel, m, n, k, FloatBuffer.wrap(a), FloatBuffer.wrap(b), c, pool, threads, workspaces);
    }

    /**
     * The same with A and B as (possibly read-only) buffers, read in place by every thread. With
     * more than one thread: B is packed once into the caller's workspace, strips claimed by
     * whichever thread is free, then row blocks of C (about 4 per thread) are claimed the same way
     * ({@link ParallelProduct}). Nothing waits for a given thread to start: on a loaded machine a
     * worker that is not scheduled simply takes fewer blocks, and the caller does the rest.
     */
    static void multiply(Sgemm kernel, int m, int n, int k, FloatBuffer a, FloatBuffer b, float[] c, ExecutorService pool,
            int threads, ThreadLocal<Sgemm.Workspace> workspaces) {
        long flops = (long) m * n * k;
        int parts = pool == null || flops < PARALLEL_MIN_FLOPS ? 1 : Math.min(threads, Math.max(1, m / kernel.mr()));
        if (parts <= 1) {
            kernel.multiply(0, m, n, k, a, b, c, workspaces.get());
            return;
        }
        Sgemm.Workspace mine = workspaces.get();
        int strips = (n + kernel.nr() - 1) / kernel.nr();
        float[] packedB = mine.b(strips * kernel.nr() * k);
        ParallelProduct job = new ParallelProduct(kernel, m, n, k, a, b, c, packedB, workspaces, parts);
        for (int p = 1; p < parts; p++) {
            try {
                pool.execute(job);
            } catch (RejectedExecutionException e) {
                break; // the pool is shutting down (reconfiguration): the caller does it all
            }
        }
        job.work();
        job.awaitDone();
    }

    /**
     * The pre-1.1.0-zero-copy split, kept for the benchmark's before/after: one static row block
     * per thread, each thread packs all of B itself, the caller waits for each block's future.
     */
    static void multiplyStatic(Sgemm kernel, int m, int n, int k, FloatBuffer a, FloatBuffer b, float[] c,
            ExecutorService pool, int threads, ThreadLocal<Sgemm.Workspace> workspaces) {
        long flops = (long) m * n * k;
        int parts = pool == null || flops < PARALLEL_MIN_FLOPS ? 1 : Math.min(threads, Math.max(1, m / 6));
        if (parts <= 1) {
            kernel.multiply(0, m, n, k, a, b, c, workspaces.get());
            return;
        }
        // row blocks on multiples of 6 (the vector kernel's register tile height)
        int rowsPer = ((m + parts - 1) / parts + 5) / 6 * 6;
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int r0 = Math.min(m, p * rowsPer);
            int r1 = Math.min(m, r0 + rowsPer);
            if (r0 < r1) {
                futures.add(pool.submit(() -> kernel.multiply(r0, r1, n, k, a, b, c, workspaces.get())));
            }
        }
        kernel.multiply(0, Math.min(m, rowsPer), n, k, a, b, c, workspaces.get());
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an sgemm row block", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("an sgemm row block failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Rows of C per claimed block: about 4 blocks per thread, a multiple of the tile height, at most MC. */
    static int rowsPerBlock(int m, int parts, int mr) {
        int per = (m + parts * 4 - 1) / (parts * 4);
        per = (per + mr - 1) / mr * mr;
        return Math.max(mr, Math.min(per, Sgemm.MC / mr * mr));
    }

    /**
     * One parallel product: phase 1 packs B's strips (claimed one at a time), phase 2 multiplies
     * row blocks (claimed one at a time) against the shared packed B. Every thread runs {@link
     * #work}; a thread that starts after all is claimed returns at once without touching a
     * buffer. Counters only: no lock.
     */
    static final class ParallelProduct implements Runnable {
        private final Sgemm kernel;
        private final int m;
        private final int n;
        private final int k;
        private final FloatBuffer a;
        private final FloatBuffer b;
        private final float[] c;
        private final float[] packedB;
        private final ThreadLocal<Sgemm.Workspace> workspaces;
        private final int strips;
        private final int rowsPer;
        private final int blocks;
        private final AtomicInteger nextStrip = new AtomicInteger();
        private final AtomicInteger packedStrips = new AtomicInteger();
        private final AtomicInteger nextBlock = new AtomicInteger();
        private final AtomicInteger doneBlocks = new AtomicInteger();
        private volatile Throwable failure;

        ParallelProduct(Sgemm kernel, int m, int n, int k, FloatBuffer a, FloatBuffer b, float[] c, float[] packedB,
                ThreadLocal<Sgemm.Workspace> workspaces, int parts) {
            this.kernel = kernel;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.b = b;
            this.c = c;
            this.packedB = packedB;
            this.workspaces = workspaces;
            this.strips = (n + kernel.nr() - 1) / kernel.nr();
            this.rowsPer = rowsPerBlock(m, parts, kernel.mr());
            this.blocks = (m + rowsPer - 1) / rowsPer;
        }

        int blocks() {
            return blocks;
        }

        @Override
        public void run() {
            work();
        }

        void work() {
            if (nextBlock.get() >= blocks) {
                return; // started late: all is claimed
            }
            int s;
            while ((s = nextStrip.getAndIncrement()) < strips) {
                try {
                    if (failure == null) {
                        Sgemm.packBStrip(b, n, k, s, kernel.nr(), packedB);
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    packedStrips.incrementAndGet();
                }
            }
            await(packedStrips, strips);
            Sgemm.Workspace ws = null;
            int i;
            while ((i = nextBlock.getAndIncrement()) < blocks) {
                try {
                    if (failure == null) {
                        if (ws == null) {
                            ws = workspaces.get();
                        }
                        int r0 = i * rowsPer;
                        kernel.multiplyPacked(r0, Math.min(m, r0 + rowsPer), n, k, a, packedB, c, ws);
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    doneBlocks.incrementAndGet();
                }
            }
        }

        /** The caller: returns when every block is done, rethrowing a worker's failure. */
        void awaitDone() {
            await(doneBlocks, blocks);
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("an sgemm row block failed: " + f, f);
            }
        }

        /** Spins briefly, then yields (on a loaded machine the thread we wait for may need our core). */
        private static void await(AtomicInteger counter, int target) {
            int spins = 0;
            while (counter.get() < target) {
                if (++spins < 200) {
                    Thread.onSpinWait();
                } else if (spins < 20_000) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(20_000);
                }
            }
        }
    }
}
