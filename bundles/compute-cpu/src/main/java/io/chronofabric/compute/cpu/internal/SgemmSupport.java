package io.chronofabric.compute.cpu.internal;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
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
     * whichever thread is free, then (KC panel, row block of C) items, about 4 row blocks per
     * thread, are claimed the same way in panel-major order, so that one packed B panel (up to
     * KC x n) is what all threads read at a time ({@link ParallelProduct}). Nothing waits for a given thread to start: on a loaded machine a
     * worker that is not scheduled simply takes fewer blocks, and the caller does the rest.
     */
    static void multiply(Sgemm kernel, int m, int n, int k, FloatBuffer a, FloatBuffer b, float[] c, ExecutorService pool,
            int threads, ThreadLocal<Sgemm.Workspace> workspaces) {
        multiply(kernel, m, n, k, a, b, c, pool, threads, workspaces, true);
    }

    /**
     * @param guided row blocks of decreasing height ({@link #guidedBlockStarts}: the last items
     *               are small, so the threads finish close together); false: equal blocks of
     *               {@link #rowsPerBlock} rows (the split before, kept for the benchmark)
     */
    static void multiply(Sgemm kernel, int m, int n, int k, FloatBuffer a, FloatBuffer b, float[] c, ExecutorService pool,
            int threads, ThreadLocal<Sgemm.Workspace> workspaces, boolean guided) {
        long flops = (long) m * n * k;
        int parts = pool == null || flops < PARALLEL_MIN_FLOPS ? 1 : Math.min(threads, Math.max(1, m / kernel.mr()));
        if (parts <= 1) {
            kernel.multiply(0, m, n, k, a, b, c, workspaces.get());
            return;
        }
        Sgemm.Workspace mine = workspaces.get();
        int strips = (n + kernel.nr() - 1) / kernel.nr();
        float[] packedB = mine.b(strips * kernel.nr() * k);
        int[] starts = guided ? guidedBlockStarts(m, parts, kernel.mr()) : equalBlockStarts(m, rowsPerBlock(m, parts, kernel.mr()));
        ParallelProduct job = new ParallelProduct(kernel, m, n, k, a, b, c, packedB, workspaces, starts);
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

    /** Row block starts of equal blocks of {@code per} rows, with m appended. */
    static int[] equalBlockStarts(int m, int per) {
        int blocks = (m + per - 1) / per;
        int[] s = new int[blocks + 1];
        for (int i = 0; i < blocks; i++) {
            s[i] = i * per;
        }
        s[blocks] = m;
        return s;
    }

    /**
     * Row block starts (with m appended) of guided blocks: each block takes about 1/(2 x parts)
     * of the rows still left, a multiple of the tile height, at least two tiles and at most MC.
     * The first blocks are large (few items, the B panel streamed from L2 few times), the last
     * ones small: when one thread got less CPU (a loaded machine) or started late, the others
     * are not left waiting for a large last block. E.g. m = 256 on 2 threads: 66, 48, 36, 30, 24,
     * 18, 12, 12, 10.
     */
    static int[] guidedBlockStarts(int m, int parts, int mr) {
        int[] s = new int[m / mr + 2];
        int count = 0;
        int at = 0;
        int min = 2 * mr;
        int max = Math.max(mr, Sgemm.MC / mr * mr);
        while (at < m) {
            int left = m - at;
            int h = (left + 2 * parts - 1) / (2 * parts);
            h = (h + mr - 1) / mr * mr;
            h = Math.max(min, Math.min(max, h));
            s[count++] = at;
            at += Math.min(h, left);
        }
        s[count] = m;
        return java.util.Arrays.copyOf(s, count + 1);
    }

    /**
     * One parallel product: for each KC panel in turn, its B strips are packed into the shared
     * buffer and its row blocks multiplied, each item claimed by whichever thread is free. Every
     * thread runs {@link #work}; a thread that starts after all is claimed returns at once without
     * touching a buffer. Counters only: no lock.
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
        /** Row block b is rows [starts[b], starts[b + 1]). */
        private final int[] starts;
        private final int blocks;
        private final int panels;
        /** Per row block: how many of its KC panels are done (panels of a block run in order). */
        private final AtomicIntegerArray panelsDone;
        /** Per KC panel: how many of its B strips are packed. */
        private final AtomicIntegerArray packedStrips;
        private final AtomicInteger nextItem = new AtomicInteger();
        private final AtomicInteger doneItems = new AtomicInteger();
        private volatile Throwable failure;

        ParallelProduct(Sgemm kernel, int m, int n, int k, FloatBuffer a, FloatBuffer b, float[] c, float[] packedB,
                ThreadLocal<Sgemm.Workspace> workspaces, int[] starts) {
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
            this.starts = starts;
            this.blocks = starts.length - 1;
            this.panels = (k + Sgemm.KC - 1) / Sgemm.KC;
            this.panelsDone = new AtomicIntegerArray(blocks);
            this.packedStrips = new AtomicIntegerArray(panels);
        }

        int blocks() {
            return blocks;
        }

        @Override
        public void run() {
            work();
        }

        void work() {
            int perPanel = strips + blocks;
            int items = panels * perPanel;
            Sgemm.Workspace ws = null;
            int i;
            // panel-major: pack panel p's strips of B (any thread), then its row blocks; only one
            // KC x n panel of packed B is hot at a time (it fits in L2 with the A block)
            while ((i = nextItem.getAndIncrement()) < items) {
                int panel = i / perPanel;
                int j = i % perPanel;
                int pc = panel * Sgemm.KC;
                try {
                    if (failure == null) {
                        if (j < strips) {
                            Sgemm.packBPanelStrip(b, n, k, pc, Math.min(Sgemm.KC, k - pc), j, kernel.nr(), packedB);
                        } else {
                            int block = j - strips;
                            if (ws == null) {
                                ws = workspaces.get();
                            }
                            awaitPacked(panel);
                            // the previous panel of this block may still run on another (descheduled) thread
                            awaitPanel(block, panel);
                            kernel.multiplyPacked(starts[block], starts[block + 1], n, k, pc, a, packedB, c, ws);
                        }
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    if (j < strips) {
                        packedStrips.incrementAndGet(panel);
                    } else {
                        panelsDone.incrementAndGet(j - strips);
                    }
                    doneItems.incrementAndGet();
                }
            }
        }

        private void awaitPacked(int panel) {
            int spins = 0;
            while (packedStrips.get(panel) < strips && failure == null) {
                spins = pause(spins);
            }
        }

        private void awaitPanel(int block, int panel) {
            int spins = 0;
            while (panelsDone.get(block) < panel && failure == null) {
                spins = pause(spins);
            }
        }

        /** The caller: returns when every block is done, rethrowing a worker's failure. */
        void awaitDone() {
            await(doneItems, panels * (strips + blocks));
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("an sgemm row block failed: " + f, f);
            }
        }

        /** Spins briefly, then yields, then parks (on a loaded machine the thread we wait for may need our core). */
        private static void await(AtomicInteger counter, int target) {
            int spins = 0;
            while (counter.get() < target) {
                spins = pause(spins);
            }
        }

        private static int pause(int spins) {
            if (spins < 64) {
                Thread.onSpinWait();
            } else if (spins < 1024) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
            return spins + 1;
        }
    }
}
