package io.chronofabric.compute.cpu.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machinery compiled programs run on: the sgemm kernel, the worker threads for large ops
 * (threads - 1 workers; the calling thread does one share), per-thread packing buffers.
 */
final class CpuEngine implements AutoCloseable {

    private final Sgemm sgemm;
    private final String vectorStatus;
    private final int threads;
    private final ExecutorService pool;
    private final ThreadLocal<Sgemm.Workspace> workspaces = ThreadLocal.withInitial(Sgemm.Workspace::new);

    /**
     * @param threads   threads for one large op (1 = the caller's only)
     * @param useVector try the Vector API kernel (falls back to scalar when it cannot load)
     */
    CpuEngine(int threads, boolean useVector) {
        String[] why = {"disabled by configuration (vector = false)"};
        Sgemm v = useVector ? SgemmSupport.vectorOrNull(why) : null;
        this.sgemm = v != null ? v : new ScalarSgemm();
        this.vectorStatus = v != null ? "in use" : why[0];
        this.threads = Math.max(1, threads);
        if (v != null) {
            warmUp(v);
        }
        if (this.threads > 1) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory f = r -> {
                Thread t = new Thread(r, "chronofabric-compute-cpu-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(this.threads - 1, f);
        } else {
            pool = null;
        }
    }

    /**
     * The Vector API runs ~100x slower until C2 has compiled the register tile (interpreted,
     * every vector is an object): a daemon thread multiplies small panels (0.47 GFLOP in all, most of
     * it before C2 has compiled the tile: about a second of one core) so that the first real matmul
     * does not pay for it.
     */
    private static void warmUp(Sgemm kernel) {
        Thread t = new Thread(() -> {
            float[] a = new float[48 * 256];
            float[] b = new float[256 * 64];
            float[] c = new float[48 * 64];
            Sgemm.Workspace ws = new Sgemm.Workspace();
            for (int i = 0; i < 300 && !Thread.currentThread().isInterrupted(); i++) {
                kernel.multiply(0, 48, 64, 256, a, b, c, ws);
            }
        }, "chronofabric-compute-cpu-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    Sgemm sgemmKernel() {
        return sgemm;
    }

    /** "in use", or why the Vector API kernel is not. */
    String vectorStatus() {
        return vectorStatus;
    }

    int threads() {
        return threads;
    }

    ExecutorService pool() {
        return pool;
    }

    /**
     * A whole-tensor elementwise loop over [0, n): split across the workers and the caller
     * above {@link ParallelRange#MIN_WORK} (n times the per-element {@code cost}).
     */
    void elementwise(int n, int cost, ParallelRange.Body body) {
        ParallelRange.run(pool, threads, n, cost, body);
    }

    /** Whether {@link #elementwise} would split a loop of n elements of that cost. */
    boolean splits(int n, int cost) {
        return ParallelRange.splits(pool, threads, n, cost);
    }


    /** C (m x n) += A (m x k) * B (k x n), any element type of the subset. */
    void matmul(CpuTensor a, CpuTensor b, CpuTensor c, int m, int n, int k) {
        if (c.f != null) {
            SgemmSupport.multiply(sgemm, m, n, k, a.floatSource(), b.floatSource(), c.f, pool, threads, workspaces);
        } else if (c.d != null) {
            double[] x = a.d;
            double[] y = b.d;
            double[] z = c.d;
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double av = x[i * k + p];
                    int bo = p * n;
                    int co = i * n;
                    for (int j = 0; j < n; j++) {
                        z[co + j] += av * y[bo + j];
                    }
                }
            }
        } else {
            long[] x = a.l;
            long[] y = b.l;
            long[] z = c.l;
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    long av = x[i * k + p];
                    int bo = p * n;
                    int co = i * n;
                    for (int j = 0; j < n; j++) {
                        z[co + j] += av * y[bo + j];
                    }
                }
            }
            Kernels.wrap(c.element, z, z.length);
        }
    }

    /** Lets running ops finish, then stops the workers (a reconfiguration replaced this engine). */
    void closeWhenIdle() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
