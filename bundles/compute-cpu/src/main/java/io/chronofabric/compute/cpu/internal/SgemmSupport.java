package io.chronofabric.compute.cpu.internal;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

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

    /** The same with A and B as (possibly read-only) buffers, read in place by every thread. */
    static void multiply(Sgemm kernel, int m, int n, int k, FloatBuffer a, FloatBuffer b, float[] c, ExecutorService pool,
            int threads, ThreadLocal<Sgemm.Workspace> workspaces) {
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
}
