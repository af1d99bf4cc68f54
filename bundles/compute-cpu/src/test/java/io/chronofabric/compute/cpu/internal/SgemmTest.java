package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class SgemmTest {

    private static double[] reference(int m, int n, int k, float[] a, float[] b, float[] c0) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = c0[i * n + j];
                for (int p = 0; p < k; p++) {
                    s += (double) a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }

    private static void check(Sgemm s, int m, int n, int k, ExecutorService pool, int threads, long seed) {
        Random r = new Random(seed);
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c = random(r, m * n);
        double[] want = reference(m, n, k, a, b, c);
        SgemmSupport.multiply(s, m, n, k, a, b, c, pool, threads, ThreadLocal.withInitial(Sgemm.Workspace::new));
        for (int i = 0; i < want.length; i++) {
            assertThat((double) c[i]).as("%s %dx%dx%d element %d", s.describe(), m, n, k, i)
                    .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, k)));
        }
    }

    @Test
    void shouldMultiplyOddAndBlockCrossingShapesWithBothKernels() {
        String[] why = new String[1];
        Sgemm vector = SgemmSupport.vectorOrNull(why);
        assertThat(vector).as("the Vector API kernel (surefire adds jdk.incubator.vector): %s", why[0]).isNotNull();
        int[][] shapes = {{1, 1, 1}, {2, 4, 3}, {5, 33, 7}, {7, 31, 300}, {97, 65, 257}, {13, 2049, 5}, {130, 40, 520}};
        long seed = 1;
        for (int[] s : shapes) {
            check(vector, s[0], s[1], s[2], null, 1, seed);
            check(new ScalarSgemm(), s[0], s[1], s[2], null, 1, seed++);
        }
    }

    @Test
    void shouldSplitLargeProductsIntoRowBlocksOverThreadsWithTheSameResult() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            String[] why = new String[1];
            Sgemm vector = SgemmSupport.vectorOrNull(why);
            check(vector, 200, 130, 96, pool, 3, 7); // 2.5M flops: over PARALLEL_MIN_FLOPS, three row blocks
            check(new ScalarSgemm(), 131, 129, 127, pool, 2, 8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldFallBackToTheScalarKernelWhenTheVectorApiIsSwitchedOff() {
        try (CpuEngine e = new CpuEngine(1, false)) {
            assertThat(e.sgemmKernel()).isInstanceOf(ScalarSgemm.class);
            assertThat(e.vectorStatus()).contains("disabled by configuration");
        }
        try (CpuEngine e = new CpuEngine(2, true)) {
            assertThat(e.sgemmKernel()).isInstanceOf(VectorSgemm.class);
            assertThat(e.vectorStatus()).isEqualTo("in use");
        }
    }
}
