package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The dynamic row-block split over threads with one shared packed B. */
class ParallelSgemmTest {

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }

    private static List<Sgemm> kernels() {
        String[] why = new String[1];
        Sgemm vector = SgemmSupport.vectorOrNull(why);
        assertThat(vector).as("the Vector API kernel (surefire adds jdk.incubator.vector): %s", why[0]).isNotNull();
        return List.of(vector, new ScalarSgemm());
    }

    @Test
    void shouldComputeBitForBitWhatOneThreadComputesForEveryShapeAndThreadCount() {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // odd sizes: partial tiles, partial strips, k over two and three KC panels, m below and above MC per block
            int[][] shapes = {{200, 130, 96}, {131, 129, 127}, {97, 65, 600}, {256, 256, 256}, {13, 2049, 100}, {300, 33, 513}};
            long seed = 11;
            for (Sgemm s : kernels()) {
                for (int[] sh : shapes) {
                    int m = sh[0];
                    int n = sh[1];
                    int k = sh[2];
                    Random r = new Random(seed++);
                    float[] a = random(r, m * k);
                    float[] b = random(r, k * n);
                    float[] c0 = random(r, m * n);
                    float[] one = c0.clone();
                    SgemmSupport.multiply(s, m, n, k, a, b, one, null, 1, ThreadLocal.withInitial(Sgemm.Workspace::new));
                    for (int threads : new int[] {2, 3, 4}) {
                        float[] many = c0.clone();
                        SgemmSupport.multiply(s, m, n, k, FloatBuffer.wrap(a).asReadOnlyBuffer(),
                                FloatBuffer.wrap(b).asReadOnlyBuffer(), many, pool, threads,
                                ThreadLocal.withInitial(Sgemm.Workspace::new));
                        assertThat(many).as("%s %dx%dx%d on %d threads", s.describe(), m, n, k, threads)
                                .containsExactly(one);
                    }
                    assertThat(one).isNotEqualTo(c0);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldFinishOnTheCallerAloneWhenNoWorkerGetsToRunAndLeaveALateWorkerHarmless() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            Future<?> blocker = pool.submit(() -> {
                release.await();
                return null;
            });
            int m = 150;
            int n = 70;
            int k = 300;
            Random r = new Random(4);
            float[] a = random(r, m * k);
            float[] b = random(r, k * n);
            Sgemm s = kernels().get(0);
            float[] want = new float[m * n];
            SgemmSupport.multiply(s, m, n, k, a, b, want, null, 1, ThreadLocal.withInitial(Sgemm.Workspace::new));
            ThreadLocal<Sgemm.Workspace> ws = ThreadLocal.withInitial(Sgemm.Workspace::new);
            float[] c = new float[m * n];
            // the only worker is busy: the job waits in its queue, the caller must not wait for it
            SgemmSupport.multiply(s, m, n, k, a, b, c, pool, 2, ws);
            assertThat(c).containsExactly(want);
            // a second product with another B repacks the caller's shared buffer while the first job still waits
            float[] b2 = random(r, k * n);
            float[] want2 = new float[m * n];
            SgemmSupport.multiply(s, m, n, k, a, b2, want2, null, 1, ThreadLocal.withInitial(Sgemm.Workspace::new));
            float[] c2 = new float[m * n];
            SgemmSupport.multiply(s, m, n, k, a, b2, c2, pool, 2, ws);
            assertThat(c2).containsExactly(want2);
            release.countDown();
            blocker.get(30, TimeUnit.SECONDS);
            pool.submit(() -> { }).get(30, TimeUnit.SECONDS); // both late jobs have run by now
            assertThat(c).as("the late workers changed nothing").containsExactly(want);
            assertThat(c2).containsExactly(want2);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void shouldSplitIntoAboutFourBlocksPerThreadOnTileMultiples() {
        assertThat(SgemmSupport.rowsPerBlock(256, 2, 6)).isEqualTo(36);
        assertThat(SgemmSupport.rowsPerBlock(512, 2, 6)).isEqualTo(66);
        assertThat(SgemmSupport.rowsPerBlock(1024, 2, 6)).isEqualTo(96); // capped at MC
        assertThat(SgemmSupport.rowsPerBlock(10, 2, 6)).isEqualTo(6);
        assertThat(SgemmSupport.rowsPerBlock(131, 2, 4)).isEqualTo(20);
    }

    @Test
    void shouldSplitIntoShrinkingGuidedBlocksOnTileMultiples() {
        assertThat(SgemmSupport.guidedBlockStarts(256, 2, 6)).containsExactly(0, 66, 114, 150, 180, 204, 222, 234, 246, 256);
        for (int[] c : new int[][] {{1024, 2, 6}, {512, 3, 6}, {131, 2, 4}, {10, 2, 6}, {7, 4, 6}}) {
            int[] s = SgemmSupport.guidedBlockStarts(c[0], c[1], c[2]);
            assertThat(s[0]).isZero();
            assertThat(s[s.length - 1]).isEqualTo(c[0]);
            for (int i = 0; i + 1 < s.length; i++) {
                int h = s[i + 1] - s[i];
                assertThat(h).isPositive().isLessThanOrEqualTo(Sgemm.MC);
                if (i + 2 < s.length) {
                    assertThat(h % c[2]).as("block %d of %s", i, java.util.Arrays.toString(s)).isZero();
                    assertThat(h).isGreaterThanOrEqualTo(s[i + 2] - s[i + 1]); // never growing
                }
            }
        }
        assertThat(SgemmSupport.equalBlockStarts(256, 36)).containsExactly(0, 36, 72, 108, 144, 180, 216, 252, 256);
    }

    @Test
    void shouldComputeTheSameWithEqualAndGuidedBlocks() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Sgemm s = kernels().get(0);
            int m = 256;
            int n = 200;
            int k = 520;
            Random r = new Random(9);
            float[] a = random(r, m * k);
            float[] b = random(r, k * n);
            float[] one = new float[m * n];
            SgemmSupport.multiply(s, m, n, k, a, b, one, null, 1, ThreadLocal.withInitial(Sgemm.Workspace::new));
            for (boolean guided : new boolean[] {true, false}) {
                float[] c = new float[m * n];
                SgemmSupport.multiply(s, m, n, k, FloatBuffer.wrap(a), FloatBuffer.wrap(b), c, pool, 3,
                        ThreadLocal.withInitial(Sgemm.Workspace::new), guided);
                assertThat(c).as("guided %s", guided).containsExactly(one);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
