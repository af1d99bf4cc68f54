package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Matmul operands are read in place through the API tensors' read-only views (no copy); every
 * other use of an argument still gets a copy, results are unchanged and arguments stay as given.
 */
class ZeroCopyArgumentTest {

    private static String matmul(int m, int k, int n) {
        return """
                func.func @mm(%a: tensor<MxKxf32>, %b: tensor<KxNxf32>) -> tensor<MxNxf32> {
                  %z = arith.constant 0.0 : f32
                  %e = tensor.empty() : tensor<MxNxf32>
                  %c = linalg.fill ins(%z : f32) outs(%e : tensor<MxNxf32>) -> tensor<MxNxf32>
                  %r = linalg.matmul ins(%a, %b : tensor<MxKxf32>, tensor<KxNxf32>) outs(%c : tensor<MxNxf32>) -> tensor<MxNxf32>
                  return %r : tensor<MxNxf32>
                }
                """.replace("M", "" + m).replace("K", "" + k).replace("N", "" + n);
    }

    /** %a is also added to itself: it needs a copy; %b is only a matmul operand. */
    private static final String MIXED = """
            func.func @mm(%a: tensor<3x3xf32>, %b: tensor<3x3xf32>) -> (tensor<3x3xf32>, tensor<3x3xf32>) {
              %z = arith.constant 0.0 : f32
              %e = tensor.empty() : tensor<3x3xf32>
              %c = linalg.fill ins(%z : f32) outs(%e : tensor<3x3xf32>) -> tensor<3x3xf32>
              %r = linalg.matmul ins(%a, %b : tensor<3x3xf32>, tensor<3x3xf32>) outs(%c : tensor<3x3xf32>) -> tensor<3x3xf32>
              %s = arith.addf %a, %a : tensor<3x3xf32>
              return %r, %s : tensor<3x3xf32>, tensor<3x3xf32>
            }
            """;

    private static float[] randomInts(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(9) - 4; // small integers: every product and sum is exact in f32
        }
        return v;
    }

    private static float[] reference(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = (float) s;
            }
        }
        return c;
    }

    private static CpuProgram.CompiledFunction function(CompiledModule m, String name) {
        return ((CpuBackend.CpuModule) m).program.function(name);
    }

    @Test
    void shouldReadMatmulOperandsInPlaceWithoutCopying() {
        CpuBackend backend = new CpuBackend(1, true, 16384);
        try {
            CompiledModule m = backend.compile(new ModuleSource("mm", "mlir", matmul(2, 3, 4)));
            CpuProgram.CompiledFunction f = function(m, "mm");
            assertThat(f.readsArgumentInPlace(0)).isTrue();
            assertThat(f.readsArgumentInPlace(1)).isTrue();
            Tensor a = Tensor.ofFloats(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
            CpuTensor arg = CpuBackend.argument(f, 0, a, new CpuTensor[2]);
            assertThat(arg.f).as("no float[] copy").isNull();
            assertThat(arg.view.isReadOnly()).isTrue();
            assertThat(arg.shape).containsExactly(2, 3);
            float[] read = new float[6];
            arg.floatSource().get(0, read, 0, 6);
            assertThat(read).containsExactly(1, 2, 3, 4, 5, 6);
        } finally {
            backend.deactivate();
        }
    }

    @Test
    void shouldCopyAnArgumentThatAnotherOpUsesAndStillComputeBoth() throws Exception {
        CpuBackend backend = new CpuBackend(1, true, 16384);
        try {
            CompiledModule m = backend.compile(new ModuleSource("mixed", "mlir", MIXED));
            CpuProgram.CompiledFunction f = function(m, "mm");
            assertThat(f.readsArgumentInPlace(0)).as("%a is added too").isFalse();
            assertThat(f.readsArgumentInPlace(1)).isTrue();
            Tensor a = Tensor.ofFloats(new int[] {3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            Tensor b = Tensor.ofFloats(new int[] {3, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 2);
            assertThat(CpuBackend.argument(f, 0, a, new CpuTensor[2]).f).isNotNull();
            List<Tensor> r = backend.execute(m, "mm", List.of(a, b)).toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .results();
            assertThat(r.get(0).toFloatArray()).containsExactly(1, 2, 6, 4, 5, 12, 7, 8, 18);
            assertThat(r.get(1).toFloatArray()).containsExactly(2, 4, 6, 8, 10, 12, 14, 16, 18);
            assertThat(a.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        } finally {
            backend.deactivate();
        }
    }

    @Test
    void shouldNotReadInPlaceAnArgumentThatIsReturnedCastOrTheOutput() {
        CpuBackend backend = new CpuBackend(1, true, 16384);
        try {
            String returned = """
                    func.func @f(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>, %c: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
                      %r = linalg.matmul ins(%a, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
                      return %r, %a : tensor<2x2xf32>, tensor<2x2xf32>
                    }
                    """;
            CpuProgram.CompiledFunction f = function(backend.compile(new ModuleSource("r", "mlir", returned)), "f");
            assertThat(f.readsArgumentInPlace(0)).as("returned").isFalse();
            assertThat(f.readsArgumentInPlace(1)).isTrue();
            assertThat(f.readsArgumentInPlace(2)).as("the outs operand is written").isFalse();
        } finally {
            backend.deactivate();
        }
    }

    @Test
    void shouldGiveTheSameResultsAsBeforeAndLeaveArgumentsUnchangedOnOneAndTwoThreads() throws Exception {
        int m = 131; // not a multiple of the 6-row tile nor of the 32-column strip; large enough for the executor and the row split
        int k = 300; // two KC panels
        int n = 97;
        Random rnd = new Random(12);
        float[] av = randomInts(rnd, m * k);
        float[] bv = randomInts(rnd, k * n);
        float[] expected = reference(av, bv, m, k, n);
        for (int threads : new int[] {1, 2}) {
            for (boolean vector : new boolean[] {true, false}) {
                CpuBackend backend = new CpuBackend(threads, vector, 1024);
                try {
                    CompiledModule mod = backend.compile(new ModuleSource("mm", "mlir", matmul(m, k, n)));
                    Tensor a = Tensor.ofFloats(new int[] {m, k}, av);
                    Tensor b = Tensor.ofFloats(new int[] {k, n}, bv);
                    for (int rep = 0; rep < 3; rep++) { // reused per-thread buffers must not leak into results
                        Tensor r = backend.execute(mod, "mm", List.of(a, b)).toCompletableFuture()
                                .get(60, TimeUnit.SECONDS).result(0);
                        assertThat(r.toFloatArray()).as("threads %d vector %s", threads, vector).containsExactly(expected);
                    }
                    assertThat(a.toFloatArray()).containsExactly(av);
                    assertThat(b.toFloatArray()).containsExactly(bv);
                } finally {
                    backend.deactivate();
                }
            }
        }
    }

    @Test
    void shouldComputeBitIdenticalProductsFromReadOnlyBuffersAndArrays() {
        int m = 70;
        int k = 260;
        int n = 45;
        Random rnd = new Random(5);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextGaussian();
        }
        String[] why = new String[1];
        Sgemm vector = SgemmSupport.vectorOrNull(why);
        for (Sgemm s : vector == null ? List.<Sgemm>of(new ScalarSgemm()) : List.of(new ScalarSgemm(), vector)) {
            float[] fromArrays = new float[m * n];
            float[] fromViews = new float[m * n];
            s.multiply(0, m, n, k, a, b, fromArrays, new Sgemm.Workspace());
            s.multiply(0, m, n, k, FloatBuffer.wrap(a).asReadOnlyBuffer(), FloatBuffer.wrap(b).asReadOnlyBuffer(),
                    fromViews, new Sgemm.Workspace());
            assertThat(fromViews).as(s.describe()).containsExactly(fromArrays);
            assertThat(fromArrays[0]).isNotZero();
        }
    }
}
