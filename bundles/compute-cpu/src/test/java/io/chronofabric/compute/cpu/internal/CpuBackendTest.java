package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.SupportReport;
import io.chronofabric.api.compute.Tensor;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CpuBackendTest {

    private final CpuBackend backend = new CpuBackend(2, true, 16384);

    @AfterEach
    void stop() {
        backend.deactivate();
    }

    private static final String MATMUL = """
            func.func @mm(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
              %z = arith.constant 0.0 : f32
              %e = tensor.empty() : tensor<2x4xf32>
              %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
              %r = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>
              return %r : tensor<2x4xf32>
            }
            """;

    private ExecutionResult run(CompiledModule m, String f, Tensor... args) throws Exception {
        return backend.execute(m, f, List.of(args)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Throwable failure(CompiledModule m, String f, Tensor... args) {
        CompletableFuture<ExecutionResult> s = backend.execute(m, f, List.of(args)).toCompletableFuture();
        assertThatThrownBy(() -> s.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        return s.handle((r, e) -> e).join();
    }

    @Test
    void shouldCompileAndRunAMatmulWithItsSignature() throws Exception {
        CompiledModule m = backend.compile(new ModuleSource("mm", "mlir", MATMUL));
        assertThat(m.functions()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("mm");
            assertThat(f.parameters()).extracting(p -> p.name() + ":" + p.type()).containsExactly("a:tensor<2x3xf32>",
                    "b:tensor<3x4xf32>");
        });
        assertThat(m.contentHash()).hasSize(64);

        ExecutionResult r = run(m, "mm", Tensor.ofFloats(new int[] {2, 3}, 1, 2, 3, 4, 5, 6),
                Tensor.ofFloats(new int[] {3, 4}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        assertThat(r.results()).singleElement().satisfies(t -> {
            assertThat(t.shape()).containsExactly(2, 4);
            assertThat(t.toFloatArray()).containsExactly(38, 44, 50, 56, 83, 98, 113, 128);
        });
    }

    @Test
    void shouldRunLargeExecutionsOnItsExecutorWithBothCoresAndAgreeWithSmallOnes() throws Exception {
        int n = 192;
        String text = MATMUL.replace("2x3", "NxN").replace("3x4", "NxN").replace("2x4", "NxN").replace("N", "" + n);
        CompiledModule m = backend.compile(new ModuleSource("big", "mlir", text));
        Random rnd = new Random(3);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextInt(7) - 3;
            b[i] = rnd.nextInt(7) - 3;
        }
        Tensor r = run(m, "mm", Tensor.ofFloats(new int[] {n, n}, a), Tensor.ofFloats(new int[] {n, n}, b)).result(0);
        for (int i : new int[] {0, 7, n - 1}) {
            for (int j : new int[] {0, 5, n - 1}) {
                float s = 0;
                for (int p = 0; p < n; p++) {
                    s += a[i * n + p] * b[p * n + j];
                }
                assertThat(r.getFloat(i * n + j)).as("C[%d][%d]", i, j).isEqualTo(s); // small integers: exact
            }
        }
    }

    @Test
    void shouldNameTheLineColumnOfAModuleThatDoesNotParse() {
        assertThatThrownBy(() -> backend.compile(new ModuleSource("bad", "mlir", "func.func @f( {\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bad: expected a type, found '{' at 1:15");
        assertThatThrownBy(() -> backend.support(new ModuleSource("bad", "mlir", "func.func @f( {\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at 1:15");
    }

    @Test
    void shouldReportAnOpOutsideTheSubsetByNameAndPlace() {
        String text = "func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {\n  %r = linalg.softmax dimension(0) ins(%a : tensor<4xf32>) -> tensor<4xf32>\n  return %r : tensor<4xf32>\n}";
        SupportReport s = backend.support(new ModuleSource("s", "mlir", text));
        assertThat(s.isFullySupported()).isFalse();
        assertThat(s.unsupported()).singleElement().hasToString("unsupported op 'linalg.softmax' at 2:8 (outside the MLIR subset)");
        assertThat(backend.support(new ModuleSource("mm", "mlir", MATMUL)).opsUsed())
                .contains("linalg.matmul", "linalg.fill", "func.func", "func.return");
        assertThatThrownBy(() -> backend.compile(new ModuleSource("s", "mlir", text)))
                .hasMessage("s: unsupported op 'linalg.softmax' at 2:8");
        String generic = "func.func @g(%a: f32) -> f32 {\n  %b = \"foo.bar\"(%a) : (f32) -> f32\n"
                + "  %c = \"math.erf\"(%b) : (f32) -> f32\n  return %c : f32\n}";
        assertThat(backend.support(new ModuleSource("g", "mlir", generic)).unsupported()).extracting(Object::toString)
                .containsExactly("unsupported op 'foo.bar' at 2:8 (outside the MLIR subset)",
                        "unsupported op 'math.erf' at 3:8 (outside the MLIR subset)");
    }

    @Test
    void shouldNameAShapeMismatchBetweenOperands() {
        String text = MATMUL.replace("%b: tensor<3x4xf32>", "%b: tensor<5x4xf32>").replace("tensor<2x3xf32>, tensor<3x4xf32>",
                "tensor<2x3xf32>, tensor<5x4xf32>");
        assertThatThrownBy(() -> backend.compile(new ModuleSource("mm", "mlir", text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mm: linalg.matmul shape mismatch: B (%b, tensor<5x4xf32>) has 5 rows, expected 3 (the columns of A,"
                        + " tensor<2x3xf32>) at 5:8");
    }

    @Test
    void shouldNameAnInputOfTheWrongSizeOrElementTypeAndAnUnknownFunction() {
        CompiledModule m = backend.compile(new ModuleSource("mm", "mlir", MATMUL));
        Tensor b = Tensor.zeros(io.chronofabric.api.compute.ElementType.F32, 3, 4);
        assertThat(failure(m, "mm", Tensor.zeros(io.chronofabric.api.compute.ElementType.F32, 2, 2), b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("%a").hasMessageContaining("tensor<2x3xf32>");
        assertThat(failure(m, "mm", Tensor.zeros(io.chronofabric.api.compute.ElementType.F64, 2, 3), b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("%a").hasMessageContaining("f64");
        assertThat(failure(m, "mm", b)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 2 argument(s)");
        assertThat(failure(m, "matmul", b, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no function @matmul in module 'mm' (it has @mm)");
    }

    @Test
    void shouldRefuseAReleasedModuleAndOneOfAnotherBackend() {
        CompiledModule m = backend.compile(new ModuleSource("mm", "mlir", MATMUL));
        m.release();
        assertThat(failure(m, "mm")).isInstanceOf(IllegalStateException.class).hasMessage("module 'mm' is released");
        CpuBackend other = new CpuBackend(1, false, 0);
        try {
            CompiledModule o = other.compile(new ModuleSource("o", "mlir", MATMUL));
            assertThat(failure(o, "mm")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another CPU backend instance");
        } finally {
            other.deactivate();
        }
    }

    @Test
    void shouldNameAnOutOfBoundsIndexAndADivisionByZeroAtTheirOps() {
        CompiledModule m = backend.compile(new ModuleSource("x", "mlir", """
                func.func @at(%t: tensor<4xf32>, %i: index) -> f32 {
                  %v = tensor.extract %t[%i] : tensor<4xf32>
                  return %v : f32
                }
                func.func @div(%a: i32, %b: i32) -> i32 {
                  %q = arith.divsi %a, %b : i32
                  return %q : i32
                }
                """));
        Tensor t = Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4);
        assertThat(failure(m, "at", t, Tensor.scalar(io.chronofabric.api.compute.ElementType.INDEX, 9)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@at of module 'x': 'tensor.extract' index [9] is out of bounds for tensor<4xf32> at 2:8");
        assertThat(failure(m, "div", Tensor.scalar(io.chronofabric.api.compute.ElementType.I32, 1),
                Tensor.scalar(io.chronofabric.api.compute.ElementType.I32, 0)))
                .hasMessage("@div of module 'x': division by zero in 'arith.divsi' at 6:8");
    }

    @Test
    void shouldKeepEarlierResultsWhenItReusesArgumentBuffersForTheNextExecution() throws Exception {
        CompiledModule m = backend.compile(new ModuleSource("r", "mlir", """
                func.func @neg(%a: tensor<3xf32>) -> tensor<3xf32> {
                  %r = arith.negf %a : tensor<3xf32>
                  return %r : tensor<3xf32>
                }
                func.func @id(%a: tensor<3xf32>) -> tensor<3xf32> {
                  return %a : tensor<3xf32>
                }
                """));
        Tensor first = run(m, "neg", Tensor.ofFloats(new int[] {3}, 1, 2, 3)).result(0);
        Tensor second = run(m, "neg", Tensor.ofFloats(new int[] {3}, 4, 5, 6)).result(0);
        Tensor idFirst = run(m, "id", Tensor.ofFloats(new int[] {3}, 7, 8, 9)).result(0);
        run(m, "id", Tensor.ofFloats(new int[] {3}, 0, 0, 0));
        assertThat(first.toFloatArray()).containsExactly(-1, -2, -3);
        assertThat(second.toFloatArray()).containsExactly(-4, -5, -6);
        assertThat(idFirst.toFloatArray()).as("a returned argument is never a reused buffer").containsExactly(7, 8, 9);
    }

    @Test
    void shouldStopAtTheNextOpWhenTheExecutionIsCancelled() throws Exception {
        CompiledModule m = backend.compile(new ModuleSource("mm", "mlir", MATMUL));
        CpuProgram.CompiledFunction f = ((CpuBackend.CpuModule) m).program.function("mm");
        CompletableFuture<Object> owner = new CompletableFuture<>();
        owner.cancel(true);
        CpuTensor a = CpuTensor.allocate(io.chronofabric.compute.mlir.ScalarType.F32, 2, 3);
        CpuTensor b = CpuTensor.allocate(io.chronofabric.compute.mlir.ScalarType.F32, 3, 4);
        assertThatThrownBy(() -> f.run(new CpuTensor[] {a, b}, new CpuProgram.Context(null, owner)))
                .isInstanceOf(java.util.concurrent.CancellationException.class);
    }
}
