package io.chronofabric.compute.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.BackendUnavailableException;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ExecutionOptions;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.HardwareAbstraction.Selection;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ComputeRuntimeTest {

    private static final ModuleSource SCALE = new ModuleSource("scale", "mlir", "arith.mulf\nfunc.return");
    private static final Tensor ONE_TWO = Tensor.ofFloats(new int[] {2}, 1f, 2f);

    private final FakeBackend cpu = new FakeBackend(BackendKind.CPU, 2f, "arith.mulf", "func.return", "linalg.conv_2d");
    private final FakeBackend opencl = new FakeBackend(BackendKind.OPENCL, 3f, "arith.mulf", "func.return");
    private ComputeRuntime runtime = runtime(true, 30_000);

    private static ComputeRuntime runtime(boolean fallback, long timeoutMs) {
        return new ComputeRuntime(new ComputeRuntime.Settings(List.of(BackendKind.OPENCL, BackendKind.CPU), timeoutMs, fallback));
    }

    private void register() {
        runtime.add(new ComputeRuntime.Registered(1, 0, "cpu.bundle", cpu));
        runtime.add(new ComputeRuntime.Registered(2, 0, "opencl.bundle", opencl));
    }

    @AfterEach
    void stop() {
        runtime.deactivate();
    }

    private static ExecutionResult await(java.util.concurrent.CompletionStage<ExecutionResult> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldPreferTheFirstAvailableKindAndRunThere() throws Exception {
        register();
        CompiledModule m = runtime.compile(SCALE, List.of());
        assertThat(m.backend()).isEqualTo(BackendKind.OPENCL);
        ExecutionResult r = await(runtime.execute(m, "main", List.of(ONE_TWO)));
        assertThat(r.backend()).isEqualTo(BackendKind.OPENCL);
        assertThat(r.result(0).toFloatArray()).containsExactly(3f, 6f);
    }

    @Test
    void shouldCountCompilesCacheHitsAndExecutionsByBackend() throws Exception {
        register();
        CompiledModule m = runtime.compile(SCALE, List.of());
        CompiledModule again = runtime.compile(SCALE, List.of());
        await(runtime.execute(m, "main", List.of(ONE_TWO)));
        await(runtime.execute(again, "main", List.of(ONE_TWO)));
        // refused before any backend runs it: not counted as a backend's failure
        assertThat(runtime.execute(m, "nope", List.of(ONE_TWO)).toCompletableFuture().isCompletedExceptionally()).isTrue();

        io.chronofabric.api.compute.RuntimeStats st = runtime.stats();
        assertThat(st.compiles()).isEqualTo(1);
        assertThat(st.cacheHits()).isEqualTo(1);
        assertThat(st.completed()).containsEntry(BackendKind.OPENCL, 2L);
        assertThat(st.failed()).containsEntry(BackendKind.OPENCL, 0L);
        assertThat(st.completed()).doesNotContainKey(BackendKind.CPU);
    }

    @Test
    void shouldFallBackToCpuNamingWhyAKindWasSkipped() {
        register();
        opencl.available = false;
        Selection s = runtime.select(SCALE, List.of(BackendKind.CUDA, BackendKind.OPENCL));
        assertThat(s.chosen()).isEqualTo(BackendKind.CPU);
        assertThat(s.skipped()).containsExactly("CUDA: no backend registered", "OPENCL: unavailable: no fake device");
    }

    @Test
    void shouldSkipABackendThatDoesNotRunAnOp() {
        register();
        ModuleSource conv = new ModuleSource("conv", "mlir", "arith.mulf\nlinalg.conv_2d");
        Selection s = runtime.select(conv, List.of(BackendKind.OPENCL));
        assertThat(s.chosen()).isEqualTo(BackendKind.CPU);
        assertThat(s.skipped()).containsExactly("OPENCL: unsupported op 'linalg.conv_2d' at 2:1 (not in fake OPENCL)");
    }

    @Test
    void shouldRefuseWhatNoBackendRunsAndWhatDoesNotParse() {
        register();
        assertThatThrownBy(() -> runtime.compile(new ModuleSource("m", "mlir", "tosa.add"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("module 'm': CPU: unsupported op 'tosa.add' at 1:1 (not in fake CPU)");
        assertThatThrownBy(() -> runtime.compile(new ModuleSource("m", "mlir", "bad"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expected an op name at 1:1");
    }

    @Test
    void shouldNameEveryKindWhenNoBackendQualifies() {
        runtime.add(new ComputeRuntime.Registered(2, 0, "opencl.bundle", opencl));
        opencl.available = false;
        assertThatThrownBy(() -> runtime.compile(SCALE, List.of(BackendKind.OPENCL)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("no backend can run module 'scale': OPENCL: unavailable: no fake device; CPU: no backend registered");
    }

    @Test
    void shouldCacheByContentAndFreeWithTheLastHandle() {
        register();
        CompiledModule a = runtime.compile(SCALE, List.of(BackendKind.CPU));
        CompiledModule b = runtime.compile(new ModuleSource("other-name", "mlir", SCALE.text()), List.of(BackendKind.CPU));
        assertThat(cpu.compiles.get()).isEqualTo(1);
        assertThat(a.contentHash()).isEqualTo(b.contentHash()).hasSize(64);
        assertThat(runtime.cachedModules()).containsExactly("CPU:" + a.contentHash());
        a.release();
        a.release();
        assertThat(cpu.releases.get()).isZero();
        assertThat(runtime.cachedModules()).hasSize(1);
        b.release();
        assertThat(cpu.releases.get()).isEqualTo(1);
        assertThat(runtime.cachedModules()).isEmpty();
        CompletableFuture<ExecutionResult> f = runtime.execute(a, "main", List.of(ONE_TWO)).toCompletableFuture();
        assertThatThrownBy(f::get).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("module 'scale' was released");
    }

    @Test
    void shouldNotAskTheBackendAgainForACachedModuleUntilBackendsChange() {
        register();
        CompiledModule a = runtime.compile(SCALE, List.of(BackendKind.OPENCL));
        CompiledModule b = runtime.compile(SCALE, List.of(BackendKind.OPENCL));
        assertThat(opencl.supports.get()).isEqualTo(1);
        assertThat(opencl.compiles.get()).isEqualTo(1);
        // an unavailable backend is not used from the selection memo
        opencl.available = false;
        CompiledModule c = runtime.compile(SCALE, List.of(BackendKind.OPENCL));
        assertThat(c.backend()).isEqualTo(BackendKind.CPU);
        opencl.available = true;
        // a backend arriving clears the memo: the choice is made again
        FakeBackend better = new FakeBackend(BackendKind.OPENCL, 4f, "arith.mulf", "func.return");
        runtime.add(new ComputeRuntime.Registered(7, 5, "better.bundle", better));
        CompiledModule d = runtime.compile(SCALE, List.of(BackendKind.OPENCL));
        assertThat(better.compiles.get()).isEqualTo(1);
        List.of(a, b, c, d).forEach(CompiledModule::release);
        assertThat(runtime.cachedModules()).isEmpty();
    }

    @Test
    void shouldNameUnknownFunctionsAndWrongArguments() {
        register();
        CompiledModule m = runtime.compile(SCALE, List.of(BackendKind.CPU));
        assertThatThrownBy(() -> await(runtime.execute(m, "mian", List.of(ONE_TWO))))
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no function @mian in module 'scale' (it has @main)");
        assertThatThrownBy(() -> await(runtime.execute(m, "main", List.of(Tensor.ofInts(new int[] {2}, 1, 2)))))
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument %arg0 of @main: expected tensor<?xf32>, got tensor<2xi32>");
        assertThatThrownBy(() -> await(runtime.execute(m, "main", List.of(ONE_TWO, ONE_TWO))))
                .hasMessageContaining("function @main takes 1 argument(s), got 2");
    }

    @Test
    void shouldTimeOutNamingTheFunctionAndStopTheBackend() {
        register();
        cpu.hold = true;
        CompiledModule m = runtime.compile(SCALE, List.of(BackendKind.CPU));
        CompletableFuture<ExecutionResult> f = runtime.execute(m, "main", List.of(ONE_TWO),
                ExecutionOptions.withTimeout(Duration.ofMillis(50))).toCompletableFuture();
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("execution of @main of module 'scale' on CPU took longer than 50 ms");
        assertThat(cpu.held).hasSize(1);
        assertThat(cpu.held.get(0)).isCompletedExceptionally();
    }

    @Test
    void shouldPassCancellationToTheBackend() {
        register();
        cpu.hold = true;
        CompiledModule m = runtime.compile(SCALE, List.of(BackendKind.CPU));
        CompletableFuture<ExecutionResult> f = runtime.execute(m, "main", List.of(ONE_TWO)).toCompletableFuture();
        assertThat(f.cancel(true)).isTrue();
        assertThat(cpu.held.get(0)).isCancelled();
        assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void shouldRunOnTheFallbackWhenTheBackendWentAway() throws Exception {
        register();
        CompiledModule m = runtime.compile(SCALE, List.of());
        assertThat(m.backend()).isEqualTo(BackendKind.OPENCL);
        runtime.remove(2);
        assertThat(opencl.releases.get()).isEqualTo(1);
        ExecutionResult r = await(runtime.execute(m, "main", List.of(ONE_TWO)));
        assertThat(r.backend()).isEqualTo(BackendKind.CPU);
        assertThat(r.result(0).toFloatArray()).containsExactly(2f, 4f);
        assertThat(m.backend()).isEqualTo(BackendKind.CPU);
        m.release();
        assertThat(cpu.releases.get()).isEqualTo(1);
    }

    @Test
    void shouldRetryOnTheFallbackWhenTheBackendGoesAwayMidExecution() throws Exception {
        register();
        opencl.hold = true;
        CompiledModule m = runtime.compile(SCALE, List.of());
        CompletableFuture<ExecutionResult> f = runtime.execute(m, "main", List.of(ONE_TWO)).toCompletableFuture();
        runtime.remove(2);
        opencl.held.get(0).completeExceptionally(new IllegalStateException("OpenCL backend stopped"));
        assertThat(f.get(10, TimeUnit.SECONDS).backend()).isEqualTo(BackendKind.CPU);
    }

    @Test
    void shouldFailNamingTheBackendWhenFallbackIsOff() {
        runtime.deactivate();
        runtime = runtime(false, 30_000);
        register();
        CompiledModule m = runtime.compile(SCALE, List.of());
        runtime.remove(2);
        assertThatThrownBy(() -> await(runtime.execute(m, "main", List.of(ONE_TWO))))
                .hasCauseInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("the OPENCL backend that compiled module 'scale' (from bundle opencl.bundle) is no longer registered");
        // the per-call option overrides the configuration
        ExecutionOptions fallBack = new ExecutionOptions(null, ExecutionOptions.OnBackendLoss.FALL_BACK);
        assertThat(runtime.execute(m, "main", List.of(ONE_TWO), fallBack).toCompletableFuture().join().backend())
                .isEqualTo(BackendKind.CPU);
    }

    @Test
    void shouldFollowTheHighestRankingBackendOfAKind() throws Exception {
        register();
        FakeBackend better = new FakeBackend(BackendKind.CPU, 5f, "arith.mulf", "func.return");
        runtime.add(new ComputeRuntime.Registered(3, 10, "better.bundle", better));
        CompiledModule m = runtime.compile(SCALE, List.of(BackendKind.CPU));
        assertThat(await(runtime.execute(m, "main", List.of(ONE_TWO))).result(0).toFloatArray()).containsExactly(5f, 10f);
        assertThat(runtime.backend(BackendKind.CPU).orElseThrow().bundle()).isEqualTo("better.bundle");
        assertThat(runtime.backends()).extracting(s -> s.bundle()).containsExactly("better.bundle", "cpu.bundle", "opencl.bundle");
    }

    @Test
    void shouldReportUnavailableBackendsWithTheirReason() {
        register();
        opencl.available = false;
        assertThat(runtime.backend(BackendKind.OPENCL).orElseThrow().unavailableReason()).isEqualTo("no fake device");
        assertThatThrownBy(() -> runtime.allocate(BackendKind.OPENCL, io.chronofabric.api.compute.ElementType.F32, 4))
                .isInstanceOf(BackendUnavailableException.class).hasMessage("OPENCL backend unavailable: no fake device");
        assertThatThrownBy(() -> runtime.allocate(BackendKind.CPU, io.chronofabric.api.compute.ElementType.F32, 4))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("CPU backend does not allocate device buffers");
    }

    @Test
    void shouldExecuteIntoOutputBuffersAlsoAfterAFallback() throws Exception {
        register();
        CompiledModule m = runtime.compile(SCALE, List.of());
        TestBuffer out = new TestBuffer(2);
        ExecutionResult r = await(runtime.execute(m, "main", List.of(ONE_TWO), List.of(out), ExecutionOptions.DEFAULTS));
        assertThat(r.results()).isEmpty();
        assertThat(out.read(2).toFloatArray()).containsExactly(3f, 6f);

        opencl.hold = true;
        CompletableFuture<ExecutionResult> f = runtime.execute(m, "main", List.of(ONE_TWO), List.of(out),
                ExecutionOptions.DEFAULTS).toCompletableFuture();
        runtime.remove(2);
        opencl.held.get(0).completeExceptionally(new IllegalStateException("OpenCL backend stopped"));
        assertThat(f.get(10, TimeUnit.SECONDS).backend()).isEqualTo(BackendKind.CPU);
        assertThat(out.read(2).toFloatArray()).containsExactly(2f, 4f);

        assertThatThrownBy(() -> await(runtime.execute(m, "main", List.of(ONE_TWO), List.of(out, out),
                ExecutionOptions.DEFAULTS))).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("function @main has 1 result(s), got 2 output buffer(s)");
        TestBuffer small = new TestBuffer(1);
        assertThatThrownBy(() -> await(runtime.execute(m, "main", List.of(ONE_TWO), List.of(small),
                ExecutionOptions.DEFAULTS))).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output 0 of @main: result tensor<2xf32> has 2 elements, the buffer 1");
    }

    /** A host buffer of f32 for the tests. */
    static final class TestBuffer implements io.chronofabric.api.compute.DeviceBuffer {
        private final float[] data;

        TestBuffer(int n) {
            data = new float[n];
        }

        @Override
        public BackendKind backend() {
            return BackendKind.CPU;
        }

        @Override
        public io.chronofabric.api.compute.ElementType elementType() {
            return io.chronofabric.api.compute.ElementType.F32;
        }

        @Override
        public int elements() {
            return data.length;
        }

        @Override
        public synchronized void write(Tensor values) {
            if (values.size() > data.length) {
                throw new IllegalArgumentException("does not fit");
            }
            values.copyTo(data, 0);
        }

        @Override
        public synchronized Tensor read(int... shape) {
            return Tensor.ofFloats(shape, java.util.Arrays.copyOf(data, Tensor.zeros(elementType(), shape).size()));
        }

        @Override
        public void release() {
        }

        @Override
        public boolean isReleased() {
            return false;
        }
    }
}
