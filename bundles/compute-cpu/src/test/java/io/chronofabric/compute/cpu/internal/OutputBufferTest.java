package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.DeviceBuffer;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CPU device buffers (heap arrays) and executions into preallocated outputs: a matmul's or a
 * generic's tensor.empty result is computed in the buffer's own array; other results are copied
 * in; errors name the output.
 */
class OutputBufferTest {

    private final CpuBackend backend = new CpuBackend(2, true, 0);

    @AfterEach
    void stop() {
        backend.deactivate();
    }

    private static String matmul(int n) {
        return """
                func.func @mm(%a: tensor<NxNxf32>, %b: tensor<NxNxf32>) -> tensor<NxNxf32> {
                  %z = arith.constant 0.0 : f32
                  %e = tensor.empty() : tensor<NxNxf32>
                  %c = linalg.fill ins(%z : f32) outs(%e : tensor<NxNxf32>) -> tensor<NxNxf32>
                  %r = linalg.matmul ins(%a, %b : tensor<NxNxf32>, tensor<NxNxf32>) outs(%c : tensor<NxNxf32>) -> tensor<NxNxf32>
                  return %r : tensor<NxNxf32>
                }
                """.replace("N", "" + n);
    }

    /** Two results: an elementwise sum of the arguments (a fresh array, copied into a buffer) and an i32 count. */
    private static final String TWO = """
            func.func @two(%a: tensor<4xf32>, %b: tensor<4xf32>, %i: tensor<2xi32>) -> (tensor<4xf32>, tensor<2xi32>) {
              %s = arith.addf %a, %b : tensor<4xf32>
              %j = arith.addi %i, %i : tensor<2xi32>
              return %s, %j : tensor<4xf32>, tensor<2xi32>
            }
            """;

    private static Tensor random(Random rnd, int n) {
        float[] v = new float[n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(9) - 4;
        }
        return Tensor.ofFloats(new int[] {n, n}, v);
    }

    private ExecutionResult run(CompiledModule m, String f, List<DeviceBuffer> outs, Tensor... args) throws Exception {
        return backend.execute(m, f, List.of(args), outs).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Throwable failure(CompiledModule m, String f, List<DeviceBuffer> outs, Tensor... args) {
        CompletableFuture<ExecutionResult> s = backend.execute(m, f, List.of(args), outs).toCompletableFuture();
        assertThatThrownBy(() -> s.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        return s.handle((r, e) -> e).join();
    }

    @Test
    void shouldAllocateHeapBuffersWithReadOnlyViewsAndCountThem() {
        DeviceBuffer b = backend.allocate(ElementType.F32, 6);
        assertThat(backend.liveAllocations()).isEqualTo(1);
        assertThat(b.isHostMemory()).isTrue();
        assertThat(b.backend()).isEqualTo(BackendKind.CPU);
        assertThat(b.bytes()).isEqualTo(24);
        b.write(Tensor.ofFloats(new int[] {2, 2}, 1, 2, 3, 4));
        assertThat(b.read(2, 3).toFloatArray()).containsExactly(1, 2, 3, 4, 0, 0);
        FloatBuffer view = b.floatBuffer();
        assertThat(view.capacity()).isEqualTo(6);
        assertThat(view.hasArray()).isFalse();
        assertThatThrownBy(() -> view.put(0, 9f)).isInstanceOf(ReadOnlyBufferException.class);
        b.write(Tensor.ofFloats(new int[] {1}, 7));
        assertThat(view.get(0)).isEqualTo(7f); // a view, not a copy
        assertThatThrownBy(b::doubleBuffer).isInstanceOf(IllegalStateException.class).hasMessageContaining("f32");
        assertThatThrownBy(() -> b.write(Tensor.ofFloats(new int[] {7}, new float[7])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 elements");
        assertThatThrownBy(() -> b.write(Tensor.ofInts(new int[] {1}, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("i32");
        DeviceBuffer l = backend.allocate(ElementType.INDEX, 3);
        assertThat(l.longBuffer().capacity()).isEqualTo(3);
        assertThat(backend.liveAllocations()).isEqualTo(2);
        b.release();
        b.release();
        l.close();
        assertThat(backend.liveAllocations()).isZero();
        assertThat(b.isReleased()).isTrue();
        assertThatThrownBy(() -> b.read(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
        assertThatThrownBy(b::floatBuffer).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> backend.allocate(ElementType.F32, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void shouldComputeTheMatmulInTheOutputBuffersOwnArray() {
        int n = 24;
        CompiledModule m = backend.compile(new ModuleSource("mm", "mlir", matmul(n)));
        CpuProgram.CompiledFunction f = ((CpuBackend.CpuModule) m).program.function("mm");
        assertThat(f.resultInPlace(0)).isTrue();
        float[] dest = new float[n * n];
        Arrays.fill(dest, 99f); // stale content of a reused buffer must not leak into C += A*B
        Random rnd = new Random(1);
        Tensor a = random(rnd, n);
        Tensor b = random(rnd, n);
        CpuProgram.Context ctx = new CpuProgram.Context(null);
        ctx.destinations = new Object[] {dest};
        CpuTensor[] r = f.run(new CpuTensor[] {CpuBackend.toCpu(a), CpuBackend.toCpu(b)}, ctx);
        assertThat(r[0].f).isSameAs(dest);
        CpuTensor[] fresh = f.run(new CpuTensor[] {CpuBackend.toCpu(a), CpuBackend.toCpu(b)}, new CpuProgram.Context(null));
        assertThat(fresh[0].f).isNotSameAs(dest).containsExactly(dest);
    }

    @Test
    void shouldWriteRepeatedMatmulsIntoOneBufferWithTheSameResultsAsFreshTensors() throws Exception {
        for (int n : new int[] {8, 150}) { // 150: large enough for the two-thread split
            CompiledModule m = backend.compile(new ModuleSource("mm" + n, "mlir", matmul(n)));
            DeviceBuffer out = backend.allocate(ElementType.F32, n * n);
            FloatBuffer view = out.floatBuffer();
            Random rnd = new Random(n);
            for (int round = 0; round < 3; round++) {
                Tensor a = random(rnd, n);
                Tensor b = random(rnd, n);
                Tensor expected = backend.execute(m, "mm", List.of(a, b)).toCompletableFuture().get(30, TimeUnit.SECONDS)
                        .result(0);
                ExecutionResult r = run(m, "mm", List.of(out), a, b);
                assertThat(r.results()).isEmpty();
                float[] got = new float[n * n];
                view.get(0, got);
                assertThat(got).containsExactly(expected.toFloatArray());
                assertThat(out.read(n, n)).isEqualTo(expected);
            }
            out.release();
        }
        assertThat(backend.liveAllocations()).isZero();
    }

    @Test
    void shouldCopyResultsNotComputedInPlaceAndReturnTheUnbufferedOnes() throws Exception {
        CompiledModule m = backend.compile(new ModuleSource("two", "mlir", TWO));
        CpuProgram.CompiledFunction f = ((CpuBackend.CpuModule) m).program.function("two");
        assertThat(f.resultInPlace(0)).as("addf of two arguments writes a fresh array: the buffer can be it").isTrue();
        float[] dest = new float[4];
        CpuProgram.Context ctx = new CpuProgram.Context(null);
        ctx.destinations = new Object[] {dest, null};
        CpuTensor[] direct = f.run(new CpuTensor[] {CpuBackend.toCpu(Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4)),
                CpuBackend.toCpu(Tensor.ofFloats(new int[] {4}, 1, 1, 1, 1)), CpuBackend.toCpu(Tensor.ofInts(new int[] {2}, 1, 2))},
                ctx);
        assertThat(direct[0].f).isSameAs(dest).containsExactly(2, 3, 4, 5);
        Tensor a = Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4);
        Tensor b = Tensor.ofFloats(new int[] {4}, 10, 20, 30, 40);
        Tensor i = Tensor.ofInts(new int[] {2}, 5, -7);
        DeviceBuffer sum = backend.allocate(ElementType.F32, 5); // larger than the result: copied into the first 4
        DeviceBuffer ints = backend.allocate(ElementType.I32, 2);
        ExecutionResult both = run(m, "two", List.of(sum, ints), a, b, i);
        assertThat(both.results()).isEmpty();
        assertThat(sum.read(5).toFloatArray()).containsExactly(11, 22, 33, 44, 0);
        assertThat(ints.intBuffer().get(1)).isEqualTo(-14);

        List<DeviceBuffer> firstOnly = new ArrayList<>();
        firstOnly.add(null);
        firstOnly.add(ints);
        ExecutionResult r = run(m, "two", firstOnly, Tensor.ofFloats(new int[] {4}, 0, 0, 0, 1), b,
                Tensor.ofInts(new int[] {2}, 1, 2));
        assertThat(r.results()).singleElement().satisfies(t -> assertThat(t.toFloatArray()).containsExactly(10, 20, 30, 41));
        assertThat(ints.read(2).toIntArray()).containsExactly(2, 4);
    }

    @Test
    void shouldNeverReturnATensorThatSharesAnOutputBuffer() throws Exception {
        CompiledModule m = backend.compile(new ModuleSource("dup", "mlir", """
                func.func @dup(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
                  %s = arith.addf %a, %a : tensor<4xf32>
                  return %s, %s : tensor<4xf32>, tensor<4xf32>
                }
                """));
        DeviceBuffer out = backend.allocate(ElementType.F32, 4);
        List<DeviceBuffer> outs = new ArrayList<>();
        outs.add(out);
        outs.add(null);
        Tensor returned = run(m, "dup", outs, Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4)).result(0);
        assertThat(returned.toFloatArray()).containsExactly(2, 4, 6, 8);
        run(m, "dup", outs, Tensor.ofFloats(new int[] {4}, 0, 0, 0, 0)); // the buffer is written again
        assertThat(out.read(4).toFloatArray()).containsExactly(0, 0, 0, 0);
        assertThat(returned.toFloatArray()).as("the immutable tensor of the first run").containsExactly(2, 4, 6, 8);
    }

    @Test
    void shouldWriteIntoBuffersOfAnotherBackendThroughWrite() throws Exception {
        CompiledModule m = backend.compile(new ModuleSource("mm", "mlir", matmul(2)));
        RecordingBuffer other = new RecordingBuffer(ElementType.F32, 4);
        ExecutionResult r = run(m, "mm", List.of(other), Tensor.ofFloats(new int[] {2, 2}, 1, 2, 3, 4),
                Tensor.ofFloats(new int[] {2, 2}, 1, 0, 0, 1));
        assertThat(r.results()).isEmpty();
        assertThat(other.written).isEqualTo(Tensor.ofFloats(new int[] {2, 2}, 1, 2, 3, 4));
    }

    @Test
    void shouldRefuseOutputsThatDoNotFitNamingThem() {
        CompiledModule m = backend.compile(new ModuleSource("mm", "mlir", matmul(4)));
        Tensor x = Tensor.zeros(ElementType.F32, 4, 4);
        DeviceBuffer small = backend.allocate(ElementType.F32, 15);
        DeviceBuffer wrongType = backend.allocate(ElementType.F64, 16);
        DeviceBuffer released = backend.allocate(ElementType.F32, 16);
        released.release();
        assertThat(failure(m, "mm", List.of(small), x, x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output 0 of @mm").hasMessageContaining("16 elements, the buffer 15");
        assertThat(failure(m, "mm", List.of(wrongType), x, x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output 0 of @mm").hasMessageContaining("f64");
        assertThat(failure(m, "mm", List.of(released), x, x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("released");
        assertThat(failure(m, "mm", List.of(), x, x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 1 result(s), got 0 output buffer(s)");
        CompiledModule twice = backend.compile(new ModuleSource("twice", "mlir", """
                func.func @twice(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
                  %s = arith.addf %a, %a : tensor<4xf32>
                  %t = arith.mulf %a, %a : tensor<4xf32>
                  return %s, %t : tensor<4xf32>, tensor<4xf32>
                }
                """));
        DeviceBuffer f = backend.allocate(ElementType.F32, 4);
        assertThat(failure(twice, "twice", List.of(f, f), Tensor.zeros(ElementType.F32, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputs 0 and 1 of @twice are the same buffer");
    }

    /** A buffer of another backend: records what was written. */
    static final class RecordingBuffer implements DeviceBuffer {
        final ElementType type;
        final int elements;
        Tensor written;

        RecordingBuffer(ElementType type, int elements) {
            this.type = type;
            this.elements = elements;
        }

        @Override
        public BackendKind backend() {
            return BackendKind.OPENCL;
        }

        @Override
        public ElementType elementType() {
            return type;
        }

        @Override
        public int elements() {
            return elements;
        }

        @Override
        public void write(Tensor values) {
            written = values;
        }

        @Override
        public Tensor read(int... shape) {
            return written.reshape(shape);
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
