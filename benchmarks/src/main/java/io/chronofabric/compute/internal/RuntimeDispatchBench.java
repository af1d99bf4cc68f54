package io.chronofabric.compute.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import io.chronofabric.compute.cpu.internal.CpuBackend;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What the compute runtime adds to a tiny execution: the same compiled tensor<32xf32> elementwise
 * module run through {@code MlirRuntime.execute} (argument checks, cache handle, fast path for a
 * backend that finished inline) and directly on the CPU backend.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.chronofabric.compute.internal.RuntimeDispatchBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class RuntimeDispatchBench {

    static final String TINY = """
            func.func @axpy(%x: tensor<32xf32>, %y: tensor<32xf32>) -> tensor<32xf32> {
              %0 = arith.mulf %x, %y : tensor<32xf32>
              %1 = arith.addf %0, %y : tensor<32xf32>
              return %1 : tensor<32xf32>
            }
            """;

    CpuBackend cpu;
    ComputeRuntime runtime;
    CompiledModule viaRuntime;
    CompiledModule direct;
    List<Tensor> args;

    @Setup(Level.Trial)
    public void setup() {
        cpu = new CpuBackend(1, true, 16384);
        runtime = new ComputeRuntime(new ComputeRuntime.Settings(List.of(BackendKind.CPU), 30_000, true));
        runtime.add(new ComputeRuntime.Registered(1, 0, "io.chronofabric.compute.cpu", cpu));
        ModuleSource src = new ModuleSource("tiny", "mlir", TINY);
        viaRuntime = runtime.compile(src, List.of(BackendKind.CPU));
        direct = cpu.compile(src);
        float[] x = new float[32];
        for (int i = 0; i < 32; i++) {
            x[i] = i - 16;
        }
        args = List.of(Tensor.ofFloats(new int[] {32}, x), Tensor.ofFloats(new int[] {32}, x));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        viaRuntime.release();
        direct.release();
        runtime.deactivate();
        cpu.deactivate();
    }

    @Benchmark
    public Object runtimeExecute() {
        return runtime.execute(viaRuntime, "axpy", args).toCompletableFuture().join();
    }

    @Benchmark
    public Object backendExecute() {
        return cpu.execute(direct, "axpy", args).toCompletableFuture().join();
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(RuntimeDispatchBench.class.getSimpleName()).build()).run();
    }
}
