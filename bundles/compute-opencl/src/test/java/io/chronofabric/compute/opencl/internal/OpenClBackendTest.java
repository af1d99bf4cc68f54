package io.chronofabric.compute.opencl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.DeviceBuffer;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.SupportReport;
import io.chronofabric.api.compute.Tensor;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs on the first OpenCL device (PoCL's CPU device here); skipped with a message without one. */
class OpenClBackendTest {

    private static OpenClBackend backend;

    @BeforeAll
    static void open() {
        backend = new OpenClBackend();
        backend.open("", "ALL");
        if (!backend.isAvailable()) {
            System.err.println("SKIPPED OpenClBackendTest: " + backend.unavailableReason().orElse("?"));
        }
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.deactivate();
        }
    }

    private static ExecutionResult run(String text, String fn, Tensor... args) throws Exception {
        assumeTrue(backend.isAvailable(), () -> "no OpenCL device: " + backend.unavailableReason().orElse(""));
        CompiledModule m = backend.compile(new ModuleSource("t", "mlir", text));
        try {
            return backend.execute(m, fn, List.of(args)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } finally {
            m.release();
            assertThat(backend.liveAllocations()).as("device buffers after release").isZero();
        }
    }

    @Test
    void shouldRunElementwiseTensorArithmetic() throws Exception {
        String text = """
                func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
                  %0 = arith.addf %a, %b : tensor<4xf32>
                  %1 = arith.mulf %0, %a : tensor<4xf32>
                  %2 = math.sqrt %1 : tensor<4xf32>
                  return %2 : tensor<4xf32>
                }
                """;
        ExecutionResult r = run(text, "main", Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4), Tensor.ofFloats(new int[] {4}, 3, 6, 9, 12));
        assertThat(r.result(0).toFloatArray()).containsExactly(2f, 4f, 6f, 8f);
    }

    @Test
    void shouldFillAndMultiplyMatricesLikeTheUpstreamMatmulTest() throws Exception {
        // from mlir/test/Integration/Dialect/Linalg/CPU/test-tensor-matmul.mlir: A = 1.0, B = 2.0, C = 0 + A*B: each element 2*K
        String text = """
                func.func @main() -> tensor<3x2xf32> {
                  %A = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]> : tensor<3x4xf32>
                  %B = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
                  %cst = arith.constant 0.5 : f32
                  %e = tensor.empty() : tensor<3x2xf32>
                  %C = linalg.fill ins(%cst : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
                  %D = linalg.matmul ins(%A, %B : tensor<3x4xf32>, tensor<4x2xf32>) outs(%C : tensor<3x2xf32>) -> tensor<3x2xf32>
                  return %D : tensor<3x2xf32>
                }
                """;
        ExecutionResult r = run(text, "main");
        assertThat(r.result(0).shape()).containsExactly(3, 2);
        assertThat(r.result(0).toFloatArray()).containsExactly(50.5f, 60.5f, 114.5f, 140.5f, 178.5f, 220.5f);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "n = {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {33, 32})
    void shouldMatchAJavaMatmulOnRandomInputs(int n) throws Exception {
        // 33: one work item per element; 32: the 4x4-blocked kernel
        String text = """
                func.func @mm(%a: tensor<NxNxf32>, %b: tensor<NxNxf32>, %c: tensor<NxNxf32>) -> tensor<NxNxf32> {
                  %0 = linalg.matmul ins(%a, %b : tensor<NxNxf32>, tensor<NxNxf32>) outs(%c : tensor<NxNxf32>) -> tensor<NxNxf32>
                  return %0 : tensor<NxNxf32>
                }
                """.replace("NxN", n + "x" + n);
        Random rnd = new Random(12);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
            b[i] = rnd.nextFloat() - 0.5f;
            c[i] = rnd.nextFloat();
        }
        double[] want = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = c[i * n + j];
                for (int k = 0; k < n; k++) {
                    s += (double) a[i * n + k] * b[k * n + j];
                }
                want[i * n + j] = s;
            }
        }
        int[] sh = {n, n};
        ExecutionResult r = run(text, "mm", Tensor.ofFloats(sh, a), Tensor.ofFloats(sh, b), Tensor.ofFloats(sh, c));
        assertThat(r.result(0).isCloseTo(Tensor.ofDoubles(sh, want), 1e-5, 1e-5)).isTrue();
    }

    @Test
    void shouldMultiplyIntegerMatricesInBlocks() throws Exception {
        String text = """
                func.func @mm(%a: tensor<4x3xi32>, %b: tensor<3x8xi32>, %c: tensor<4x8xi32>) -> tensor<4x8xi32> {
                  %0 = linalg.matmul ins(%a, %b : tensor<4x3xi32>, tensor<3x8xi32>) outs(%c : tensor<4x8xi32>) -> tensor<4x8xi32>
                  return %0 : tensor<4x8xi32>
                }
                """;
        int[] a = new int[12];
        int[] b = new int[24];
        int[] c = new int[32];
        for (int i = 0; i < a.length; i++) {
            a[i] = i - 5;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = 7 - i;
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = i;
        }
        int[] want = c.clone();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 8; j++) {
                for (int k = 0; k < 3; k++) {
                    want[i * 8 + j] += a[i * 3 + k] * b[k * 8 + j];
                }
            }
        }
        ExecutionResult r = run(text, "mm", Tensor.ofInts(new int[] {4, 3}, a), Tensor.ofInts(new int[] {3, 8}, b), Tensor.ofInts(new int[] {4, 8}, c));
        assertThat(r.result(0).toIntArray()).containsExactly(want);
    }

    @Test
    void shouldReduceWithLinalgGenericAndCapturedScalars() throws Exception {
        String text = """
                #id = affine_map<(d0, d1) -> (d0, d1)>
                #row = affine_map<(d0, d1) -> (d0)>
                func.func @rowmax(%x: tensor<2x3xf32>, %init: tensor<2xf32>) -> tensor<2xf32> {
                  %scale = arith.constant 2.0 : f32
                  %r = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
                      ins(%x : tensor<2x3xf32>) outs(%init : tensor<2xf32>) {
                  ^bb0(%in: f32, %acc: f32):
                    %s = arith.mulf %in, %scale : f32
                    %t = math.tanh %s : f32
                    %m = arith.maximumf %t, %acc : f32
                    linalg.yield %m : f32
                  } -> tensor<2xf32>
                  return %r : tensor<2xf32>
                }
                """;
        Tensor x = Tensor.ofFloats(new int[] {2, 3}, 0.1f, -0.3f, 0.2f, -1f, -2f, -0.5f);
        Tensor init = Tensor.ofFloats(new int[] {2}, -10f, -10f);
        ExecutionResult r = run(text, "rowmax", x, init);
        assertThat(r.result(0).isCloseTo(Tensor.ofDoubles(new int[] {2}, Math.tanh(0.4), Math.tanh(-1.0)), 1e-6, 1e-6)).isTrue();
    }

    @Test
    void shouldTransposeAndSelectInAParallelGeneric() throws Exception {
        String text = """
                #in = affine_map<(d0, d1) -> (d1, d0)>
                #out = affine_map<(d0, d1) -> (d0, d1)>
                func.func @relu_t(%x: tensor<3x2xf64>) -> tensor<2x3xf64> {
                  %e = tensor.empty() : tensor<2x3xf64>
                  %zero = arith.constant 0.0 : f64
                  %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel"]}
                      ins(%x : tensor<3x2xf64>) outs(%e : tensor<2x3xf64>) {
                  ^bb0(%a: f64, %o: f64):
                    %c = arith.cmpf ogt, %a, %zero : f64
                    %s = arith.select %c, %a, %zero : f64
                    linalg.yield %s : f64
                  } -> tensor<2x3xf64>
                  return %r : tensor<2x3xf64>
                }
                """;
        ExecutionResult r = run(text, "relu_t", Tensor.ofDoubles(new int[] {3, 2}, 1, -2, 3, -4, -5, 6));
        assertThat(r.result(0).shape()).containsExactly(2, 3);
        assertThat(r.result(0).toDoubleArray()).containsExactly(1, 3, 0, 0, 0, 6);
    }

    @Test
    void shouldRunScalarOpsExtractInsertCallsAndIntegers() throws Exception {
        String text = """
                func.func @twice(%t: tensor<3xi32>) -> tensor<3xi32> {
                  %0 = arith.addi %t, %t : tensor<3xi32>
                  return %0 : tensor<3xi32>
                }
                func.func @main(%t: tensor<3xi32>, %k: i32) -> (tensor<3xi32>, i32) {
                  %c1 = arith.constant 1 : index
                  %v = tensor.extract %t[%c1] : tensor<3xi32>
                  %w = arith.muli %v, %k : i32
                  %u = tensor.insert %w into %t[%c1] : tensor<3xi32>
                  %d = func.call @twice(%u) : (tensor<3xi32>) -> tensor<3xi32>
                  %q = arith.divsi %w, %k : i32
                  return %d, %q : tensor<3xi32>, i32
                }
                """;
        ExecutionResult r = run(text, "main", Tensor.ofInts(new int[] {3}, 1, 2, 3), Tensor.ofInts(new int[0], 7));
        assertThat(r.result(0).toIntArray()).containsExactly(2, 28, 6);
        assertThat(r.result(1).rank()).isZero();
        assertThat(r.result(1).getLong(0)).isEqualTo(2);
    }

    @Test
    void shouldNameParseErrorsUnknownFunctionsAndWrongArguments() throws Exception {
        assumeTrue(backend.isAvailable(), "no OpenCL device");
        SupportReport conv = backend.support(new ModuleSource("bad", "mlir", """
                func.func @f(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
                  %0 = linalg.conv_2d %a : tensor<2x2xf32>
                  return %0 : tensor<2x2xf32>
                }
                """));
        assertThat(conv.isFullySupported()).isFalse();
        assertThat(conv.unsupported()).extracting(Object::toString)
                .containsExactly("unsupported op 'linalg.conv_2d' at 2:8 (outside the MLIR subset)");
        // generic-form ops outside the subset are all listed
        SupportReport two = backend.support(new ModuleSource("two", "mlir", """
                func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                  %0 = "tosa.abs"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                  %1 = "tosa.negate"(%0) : (tensor<2xf32>) -> tensor<2xf32>
                  return %1 : tensor<2xf32>
                }
                """));
        assertThat(two.unsupported()).extracting(SupportReport.UnsupportedOp::op).containsExactly("tosa.abs", "tosa.negate");
        assertThatThrownBy(() -> backend.compile(new ModuleSource("two", "mlir", "func.func @f( {")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("module 'two': ").hasMessageContaining("at 1:");
        String text = """
                func.func @neg(%a: tensor<2xf32>) -> tensor<2xf32> {
                  %0 = arith.negf %a : tensor<2xf32>
                  return %0 : tensor<2xf32>
                }
                """;
        SupportReport report = backend.support(new ModuleSource("neg", "mlir", text));
        assertThat(report.isFullySupported()).isTrue();
        assertThat(report.opsUsed()).contains("arith.negf", "func.return");
        CompiledModule m = backend.compile(new ModuleSource("neg", "mlir", text));
        try {
            CompletableFuture<ExecutionResult> f = backend.execute(m, "nope", List.of()).toCompletableFuture();
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("no function @nope in module 'neg' (it has @neg)");
            CompletableFuture<ExecutionResult> g = backend.execute(m, "neg", List.of(Tensor.ofFloats(new int[] {3}, 1, 2, 3)))
                    .toCompletableFuture();
            assertThatThrownBy(() -> g.get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("argument %a of @neg: expected tensor<2xf32>, got tensor<3xf32> (dimension 0 is 3, expected 2)");
            assertThat(backend.liveAllocations()).isZero();
        } finally {
            m.release();
        }
    }

    @Test
    void shouldReleaseEveryBufferWhenAnExecutionFails() throws Exception {
        assumeTrue(backend.isAvailable(), "no OpenCL device");
        String text = """
                func.func @main(%t: tensor<4xf32>, %i: index) -> f32 {
                  %0 = arith.addf %t, %t : tensor<4xf32>
                  %1 = tensor.extract %0[%i] : tensor<4xf32>
                  return %1 : f32
                }
                """;
        CompiledModule m = backend.compile(new ModuleSource("oob", "mlir", text));
        try {
            Tensor t = Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4);
            assertThat(backend.execute(m, "main", List.of(t, Tensor.ofIndices(new int[0], 2))).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).result(0).getFloat(0)).isEqualTo(6f);
            CompletableFuture<ExecutionResult> f = backend.execute(m, "main", List.of(t, Tensor.ofIndices(new int[0], 9)))
                    .toCompletableFuture();
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("index 9 on axis 0 of size 4");
            assertThat(backend.liveAllocations()).as("buffers after a failed execution").isZero();
        } finally {
            m.release();
        }
    }

    @Test
    void shouldStopACancelledExecutionAndReleaseItsBuffers() throws Exception {
        assumeTrue(backend.isAvailable(), "no OpenCL device");
        String t = "tensor<256x256xf32>";
        StringBuilder text = new StringBuilder("func.func @chain(%a: " + t + ") -> " + t + " {\n");
        String prev = "%a";
        for (int i = 0; i < 40; i++) {
            text.append("  %m").append(i).append(" = linalg.matmul ins(").append(prev).append(", %a : ").append(t).append(", ").append(t)
                    .append(") outs(%a : ").append(t).append(") -> ").append(t).append("\n");
            prev = "%m" + i;
        }
        text.append("  return ").append(prev).append(" : ").append(t).append("\n}\n");
        CompiledModule m = backend.compile(new ModuleSource("chain", "mlir", text.toString()));
        try {
            CompletableFuture<ExecutionResult> f = backend.execute(m, "chain",
                    List.of(Tensor.full(ElementType.F32, new int[] {256, 256}, 0.001))).toCompletableFuture();
            assertThat(f.cancel(true)).isTrue();
            // the worker notices at its next op and frees what the execution took
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (backend.liveAllocations() != 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(backend.liveAllocations()).as("buffers after cancellation").isZero();
            // the backend still works
            assertThat(backend.execute(m, "chain", List.of(Tensor.zeros(ElementType.F32, 256, 256))).toCompletableFuture()
                    .get(120, TimeUnit.SECONDS).result(0).getFloat(0)).isZero();
        } finally {
            m.release();
        }
    }

    @Test
    void shouldHandOutAndReleaseDeviceBuffers() {
        assumeTrue(backend.isAvailable(), "no OpenCL device");
        int before = backend.liveAllocations();
        DeviceBuffer b = backend.allocate(ElementType.F32, 8);
        assertThat(backend.liveAllocations()).isEqualTo(before + 1);
        b.write(Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4));
        assertThat(b.read(2, 2).toFloatArray()).containsExactly(1, 2, 3, 4);
        b.release();
        b.release();
        assertThat(backend.liveAllocations()).isEqualTo(before);
        assertThatThrownBy(() -> b.read(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("was released");
    }

    @Test
    void shouldExecuteIntoItsOwnDeviceBuffersDeviceToDeviceAndRefuseOnesThatDoNotFit() throws Exception {
        assumeTrue(backend.isAvailable(), "no OpenCL device");
        String text = """
                func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
                  %0 = arith.addf %a, %b : tensor<4xf32>
                  %1 = arith.mulf %a, %b : tensor<4xf32>
                  return %0, %1 : tensor<4xf32>, tensor<4xf32>
                }
                """;
        CompiledModule m = backend.compile(new ModuleSource("out", "mlir", text));
        int before = backend.liveAllocations();
        DeviceBuffer sum = backend.allocate(ElementType.F32, 4);
        try {
            List<DeviceBuffer> outs = new java.util.ArrayList<>();
            outs.add(sum);
            outs.add(null);
            ExecutionResult r = backend.execute(m, "main", List.of(Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4),
                    Tensor.ofFloats(new int[] {4}, 10, 20, 30, 40)), outs).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertThat(sum.read(4).toFloatArray()).containsExactly(11, 22, 33, 44);
            assertThat(r.results()).singleElement().satisfies(t -> assertThat(t.toFloatArray()).containsExactly(10, 40, 90, 160));
            DeviceBuffer product = backend.allocate(ElementType.F32, 6); // larger than the result: its first 4 elements
            try {
                ExecutionResult both = backend.execute(m, "main", List.of(Tensor.ofFloats(new int[] {4}, 2, 2, 2, 2),
                        Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4)), List.of(sum, product)).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                assertThat(both.results()).isEmpty();
                assertThat(sum.read(4).toFloatArray()).containsExactly(3, 4, 5, 6);
                assertThat(product.read(6).toFloatArray()).containsExactly(2, 4, 6, 8, 0, 0);
            } finally {
                product.release();
            }
            DeviceBuffer ints = backend.allocate(ElementType.I32, 4);
            try {
                var bad = backend.execute(m, "main", List.of(Tensor.zeros(ElementType.F32, 4), Tensor.zeros(ElementType.F32, 4)),
                        List.of(ints, sum)).toCompletableFuture();
                assertThatThrownBy(() -> bad.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("output 0 of @main: result tensor<4xf32> into a buffer of i32");
            } finally {
                ints.release();
            }
        } finally {
            sum.release();
            m.release();
        }
        assertThat(backend.liveAllocations()).isEqualTo(before);
    }
}
