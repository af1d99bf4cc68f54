package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whole-tensor elementwise ops (arith, math, casts, cmpf, select) are split over the backend's
 * threads above a size threshold; the results equal the single-threaded ones bit for bit.
 */
class ParallelElementwiseTest {

    private final CpuBackend one = new CpuBackend(1, true, 0);
    private final CpuBackend two = new CpuBackend(2, true, 0);
    private final CpuBackend four = new CpuBackend(4, true, 0);

    @AfterEach
    void stop() {
        one.deactivate();
        two.deactivate();
        four.deactivate();
    }

    private static String module(int n) {
        return """
                func.func @ew(%a: tensor<Nxf32>, %b: tensor<Nxf32>, %i: tensor<Nxi32>, %j: tensor<Nxi32>, %u: tensor<Nxf64>)
                    -> (tensor<Nxf32>, tensor<Nxf32>, tensor<Nxi1>, tensor<Nxf32>, tensor<Nxi32>, tensor<Nxf32>, tensor<Nxf64>, tensor<Nxf64>) {
                  %s = arith.addf %a, %b : tensor<Nxf32>
                  %m = arith.mulf %s, %a : tensor<Nxf32>
                  %d = arith.divf %m, %b : tensor<Nxf32>
                  %x = arith.maximumf %d, %a : tensor<Nxf32>
                  %n = arith.negf %x : tensor<Nxf32>
                  %e = math.exp %n : tensor<Nxf32>
                  %t = math.tanh %s : tensor<Nxf32>
                  %c = arith.cmpf olt, %e, %t : tensor<Nxf32>
                  %sel = arith.select %c, %e, %t : tensor<Nxi1>, tensor<Nxf32>
                  %q = arith.divsi %i, %j : tensor<Nxi32>
                  %r = arith.addi %q, %i : tensor<Nxi32>
                  %f = arith.sitofp %r : tensor<Nxi32> to tensor<Nxf32>
                  %w = arith.extf %sel : tensor<Nxf32> to tensor<Nxf64>
                  %v = math.sqrt %u : tensor<Nxf64>
                  %z = arith.subf %v, %w : tensor<Nxf64>
                  return %d, %sel, %c, %x, %r, %f, %w, %z : tensor<Nxf32>, tensor<Nxf32>, tensor<Nxi1>, tensor<Nxf32>, tensor<Nxi32>, tensor<Nxf32>, tensor<Nxf64>, tensor<Nxf64>
                }
                """.replace("N", "" + n);
    }

    private static List<Tensor> inputs(int n, Random rnd, int zeroAt) {
        float[] a = new float[n];
        float[] b = new float[n];
        int[] i = new int[n];
        int[] j = new int[n];
        double[] u = new double[n];
        for (int k = 0; k < n; k++) {
            a[k] = rnd.nextFloat() * 4 - 2;
            b[k] = rnd.nextFloat() * 4 + 0.25f;
            i[k] = rnd.nextInt(2001) - 1000;
            j[k] = k == zeroAt ? 0 : rnd.nextInt(19) + 1;
            u[k] = rnd.nextDouble() * 9;
        }
        return List.of(Tensor.ofFloats(new int[] {n}, a), Tensor.ofFloats(new int[] {n}, b), Tensor.ofInts(new int[] {n}, i),
                Tensor.ofInts(new int[] {n}, j), Tensor.ofDoubles(new int[] {n}, u));
    }

    private static ExecutionResult run(CpuBackend backend, CompiledModule m, List<Tensor> args) throws Exception {
        return backend.execute(m, "ew", args).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void shouldGiveTheSingleThreadedResultsBitForBitWhenSplit() throws Exception {
        int n = 300_007; // above the threshold for every op, not a multiple of the chunk size
        assertThat(ParallelRange.splits(two.engine().pool(), 2, n, 1)).isTrue();
        List<Tensor> args = inputs(n, new Random(7), -1);
        List<Tensor> expected = run(one, one.compile(new ModuleSource("ew", "mlir", module(n))), args).results();
        for (CpuBackend b : List.of(two, four)) {
            List<Tensor> got = run(b, b.compile(new ModuleSource("ew", "mlir", module(n))), args).results();
            assertThat(got).hasSize(8);
            for (int r = 0; r < got.size(); r++) {
                assertThat(got.get(r)).as("result %d with %d threads", r, b.engine().threads()).isEqualTo(expected.get(r));
            }
        }
        // and a plain loop agrees on one of them (the threads do not merely agree with each other)
        float[] a = args.get(0).toFloatArray();
        float[] bb = args.get(1).toFloatArray();
        float[] d = expected.get(0).toFloatArray();
        for (int k = 0; k < n; k += 997) {
            assertThat(d[k]).isEqualTo((a[k] + bb[k]) * a[k] / bb[k]);
        }
    }

    @Test
    void shouldKeepSmallOpsOnOneThread() throws Exception {
        assertThat(ParallelRange.splits(two.engine().pool(), 2, 1000, 1)).isFalse();
        assertThat(ParallelRange.splits(two.engine().pool(), 2, 65_536, 1)).isFalse(); // an add of 64 Ki gained nothing
        assertThat(ParallelRange.splits(two.engine().pool(), 2, 20_000, 20)).isTrue(); // exp/tanh cost more per element
        assertThat(ParallelRange.splits(null, 1, 1 << 20, 1)).isFalse();
        int n = 1000;
        List<Tensor> args = inputs(n, new Random(8), -1);
        assertThat(run(two, two.compile(new ModuleSource("ew", "mlir", module(n))), args).results())
                .isEqualTo(run(one, one.compile(new ModuleSource("ew", "mlir", module(n))), args).results());
    }

    @Test
    void shouldReportADivisionByZeroInAnyChunk() {
        int n = 400_000;
        CompiledModule m = two.compile(new ModuleSource("ew", "mlir", module(n)));
        for (int zeroAt : new int[] {3, n / 2 + 11, n - 1}) {
            var f = two.execute(m, "ew", inputs(n, new Random(zeroAt), zeroAt)).toCompletableFuture();
            assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("division by zero in 'arith.divsi'");
        }
    }

    @Test
    void shouldCoverTheRangeOnceInAlignedChunks() {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int n : new int[] {262_144, 300_007, 1 << 20}) {
                List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
                ParallelRange.run(pool, 4, n, 1, (lo, hi) -> ranges.add(new int[] {lo, hi}));
                List<int[]> sorted = new ArrayList<>(ranges);
                sorted.sort((x, y) -> Integer.compare(x[0], y[0]));
                assertThat(sorted).hasSize(ParallelRange.chunks(n, 4)).hasSizeGreaterThan(4);
                int at = 0;
                for (int[] r : sorted) {
                    assertThat(r[0]).isEqualTo(at);
                    assertThat(r[0] % 16).isZero();
                    assertThat(r[1]).isGreaterThan(r[0]);
                    at = r[1];
                }
                assertThat(at).isEqualTo(n);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
