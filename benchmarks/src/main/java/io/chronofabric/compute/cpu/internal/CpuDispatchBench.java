package io.chronofabric.compute.cpu.internal;

import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
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

/** Dispatch cost of a compiled tensor<32xf32> elementwise module on the CPU backend (run by {@link CpuComputeBench#main}). */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CpuDispatchBench {

    /** Dispatch of a compiled tensor<32xf32> elementwise module (addf, mulf, maximumf in a linalg.generic). */
    @State(Scope.Benchmark)
    public static class Tiny {
        CpuBackend backend;
        CompiledModule module;
        List<Tensor> args;

        @Setup(Level.Trial)
        public void setup() {
            backend = new CpuBackend(1, true, 16384);
            module = backend.compile(new ModuleSource("tiny", "mlir", """
                    #id = affine_map<(d0) -> (d0)>
                    func.func @f(%a: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<32xf32> {
                      %z = arith.constant 0.0 : f32
                      %e = tensor.empty() : tensor<32xf32>
                      %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
                          ins(%a, %b : tensor<32xf32>, tensor<32xf32>) outs(%e : tensor<32xf32>) {
                      ^bb0(%x: f32, %y: f32, %o: f32):
                        %s = arith.addf %x, %y : f32
                        %p = arith.mulf %s, %y : f32
                        %m = arith.maximumf %p, %z : f32
                        linalg.yield %m : f32
                      } -> tensor<32xf32>
                      return %r : tensor<32xf32>
                    }
                    """));
            float[] x = new float[32];
            for (int i = 0; i < 32; i++) {
                x[i] = i - 16;
            }
            args = List.of(Tensor.ofFloats(new int[] {32}, x), Tensor.ofFloats(new int[] {32}, x));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            backend.deactivate();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object dispatchTiny(Tiny t) {
        return t.backend.execute(t.module, "f", t.args).toCompletableFuture().join();
    }

}
