package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.BackendStatus;
import io.chronofabric.api.compute.BackendUnavailableException;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.compute.ComputeFunction;
import io.chronofabric.api.compute.DeviceBuffer;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ExecutionOptions;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.HardwareAbstraction;
import io.chronofabric.api.compute.MlirRuntime;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The compute features at boot: backends listed with availability, modules run on the CPU and on
 * OpenCL (compared; OpenCL parts skipped with a message when no OpenCL device is there), deploy/*.mlir
 * as ComputeFunction services, a backend stopped under a compiled module, and bad input.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ComputeIT extends ChronoFabricTestSupport {

    private static final String EW = """
            func.func @main(%a: tensor<2x4xf32>, %b: tensor<2x4xf32>) -> tensor<2x4xf32> {
              %0 = arith.addf %a, %b : tensor<2x4xf32>
              %1 = math.tanh %0 : tensor<2x4xf32>
              %2 = arith.mulf %1, %a : tensor<2x4xf32>
              return %2 : tensor<2x4xf32>
            }
            """;

    /** Test programs run on both backends: name, text, function, argument shapes (f32 unless the program says). */
    private static final String MATMUL = """
            func.func @main(%a: tensor<17x9xf32>, %b: tensor<9x13xf32>) -> tensor<17x13xf32> {
              %z = arith.constant 0.25 : f32
              %e = tensor.empty() : tensor<17x13xf32>
              %c = linalg.fill ins(%z : f32) outs(%e : tensor<17x13xf32>) -> tensor<17x13xf32>
              %r = linalg.matmul ins(%a, %b : tensor<17x9xf32>, tensor<9x13xf32>) outs(%c : tensor<17x13xf32>) -> tensor<17x13xf32>
              return %r : tensor<17x13xf32>
            }
            """;

    private static final String REDUCE = """
            #id = affine_map<(d0, d1) -> (d0, d1)>
            #row = affine_map<(d0, d1) -> (d0)>
            func.func @main(%x: tensor<5x7xf32>, %init: tensor<5xf32>) -> tensor<5xf32> {
              %s = arith.constant 1.5 : f32
              %r = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
                  ins(%x : tensor<5x7xf32>) outs(%init : tensor<5xf32>) {
              ^bb0(%in: f32, %acc: f32):
                %m = arith.mulf %in, %s : f32
                %e = math.exp %m : f32
                %a = arith.addf %e, %acc : f32
                linalg.yield %a : f32
              } -> tensor<5xf32>
              return %r : tensor<5xf32>
            }
            """;

    private static final String TRANSPOSE_RELU = """
            #in = affine_map<(d0, d1) -> (d1, d0)>
            #out = affine_map<(d0, d1) -> (d0, d1)>
            func.func @main(%x: tensor<6x3xf32>) -> tensor<3x6xf32> {
              %e = tensor.empty() : tensor<3x6xf32>
              %zero = arith.constant 0.0 : f32
              %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel"]}
                  ins(%x : tensor<6x3xf32>) outs(%e : tensor<3x6xf32>) {
              ^bb0(%a: f32, %o: f32):
                %c = arith.cmpf ogt, %a, %zero : f32
                %v = arith.select %c, %a, %zero : f32
                %w = arith.maximumf %v, %a : f32
                linalg.yield %w : f32
              } -> tensor<3x6xf32>
              return %r : tensor<3x6xf32>
            }
            """;

    private static final List<String[]> PROGRAMS = List.of(
            new String[] {"elementwise", EW, "2x4", "2x4"},
            new String[] {"matmul", MATMUL, "17x9", "9x13"},
            // sizes divisible by 4: OpenCL's 4x4-blocked kernel
            new String[] {"matmul_blocked", MATMUL.replace("17x", "16x").replace("x13", "x12"), "16x9", "9x12"},
            new String[] {"reduce", REDUCE, "5x7", "5"},
            new String[] {"transpose_relu", TRANSPOSE_RELU, "6x3"});

    private static ExecutionResult await(java.util.concurrent.CompletionStage<ExecutionResult> s) throws Exception {
        return s.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<ExecutionResult> s) throws Exception {
        try {
            s.toCompletableFuture().get(60, TimeUnit.SECONDS);
            throw new AssertionError("the execution should have failed");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static Tensor random(Random rnd, String dims) {
        String[] p = dims.split("x");
        int[] shape = new int[p.length];
        int n = 1;
        for (int i = 0; i < p.length; i++) {
            shape[i] = Integer.parseInt(p[i]);
            n *= shape[i];
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return Tensor.ofFloats(shape, v);
    }

    private boolean openClAvailable(HardwareAbstraction hw) {
        BackendStatus s = hw.backend(BackendKind.OPENCL).orElse(null);
        if (s == null || !s.available()) {
            System.err.println("ComputeIT: OpenCL parts SKIPPED: " + (s == null ? "no OpenCL backend registered" : s.unavailableReason()));
            return false;
        }
        return true;
    }

    @Test
    public void backendsAreListedWithAvailabilityAndReasons() throws Exception {
        HardwareAbstraction hw = service(HardwareAbstraction.class);
        waitFor(() -> hw.backends().size() >= 8, () -> "8 backends, got " + hw.backends());
        BackendStatus cpu = hw.backend(BackendKind.CPU).orElseThrow();
        assertTrue("CPU available: " + cpu, cpu.available());
        assertTrue(cpu.supportedOps().contains("linalg.matmul"));
        for (BackendKind k : List.of(BackendKind.CUDA, BackendKind.HIP, BackendKind.VULKAN, BackendKind.WEBGPU, BackendKind.TPU,
                BackendKind.FPGA)) {
            BackendStatus s = hw.backend(k).orElseThrow(() -> new AssertionError("no " + k + " probe registered"));
            assertFalse(k + " runs nothing here", s.available());
            assertFalse(k + " says why", s.unavailableReason().isEmpty());
        }
        String out = execute("csf:compute-backends");
        assertContains(out, "KIND    AVAILABLE OPS");
        assertContains(out, "CPU     yes");
        assertContains(out, "CUDA    no");
        assertContains(out, hw.backend(BackendKind.CUDA).orElseThrow().unavailableReason());
        // csf:status says the same in its health column (a backend reports availability, not health)
        String status = execute("csf:status");
        assertContains(status, "unavailable: " + hw.backend(BackendKind.CUDA).orElseThrow().unavailableReason());
        assertContains(status, "available: ");
    }

    @Test
    public void resultsGoIntoPreallocatedCpuAndOpenClBuffers() throws Exception {
        MlirRuntime rt = service(MlirRuntime.class);
        HardwareAbstraction hw = service(HardwareAbstraction.class);
        ComputeBackend cpuBackend = service(ComputeBackend.class, "(" + ComputeBackend.KIND_PROPERTY + "=CPU)");
        Random rnd = new Random(12);
        List<Tensor> args = List.of(random(rnd, "17x9"), random(rnd, "9x13"));
        CompiledModule m = rt.compile(new ModuleSource("matmul_out", "mlir", MATMUL), List.of(BackendKind.CPU));
        int live = cpuBackend.liveAllocations();
        DeviceBuffer out = hw.allocate(BackendKind.CPU, ElementType.F32, 17 * 13);
        try {
            assertTrue(out.isHostMemory());
            Tensor expected = await(rt.execute(m, "main", args)).result(0);
            for (int round = 0; round < 2; round++) { // the same buffer again: the fill of 0.25 starts afresh
                ExecutionResult r = await(rt.execute(m, "main", args, List.of(out), ExecutionOptions.DEFAULTS));
                assertTrue("results returned as tensors: " + r.results(), r.results().isEmpty());
                assertEquals(expected, out.read(17, 13));
                assertEquals(expected.getFloat(17 * 13 - 1), out.floatBuffer().get(17 * 13 - 1), 0f);
            }
            if (openClAvailable(hw)) { // a CPU execution into a device buffer of OpenCL (written through it)
                DeviceBuffer cl = hw.allocate(BackendKind.OPENCL, ElementType.F32, 17 * 13);
                try {
                    assertTrue(await(rt.execute(m, "main", args, List.of(cl), ExecutionOptions.DEFAULTS)).results().isEmpty());
                    assertEquals(expected, cl.read(17, 13));
                } finally {
                    cl.release();
                }
            }
            try (DeviceBuffer five = hw.allocate(BackendKind.CPU, ElementType.F32, 5)) {
                Throwable small = failure(rt.execute(m, "main", args, List.of(five), ExecutionOptions.DEFAULTS));
                assertTrue(String.valueOf(small), small instanceof IllegalArgumentException
                        && small.getMessage().contains("output 0 of @main"));
            }
        } finally {
            out.release();
            m.release();
        }
        assertEquals("CPU buffers left after release", live, cpuBackend.liveAllocations());
    }

    @Test
    public void modulesRunOnTheCpuAndOnOpenClWithTheSameResults() throws Exception {
        MlirRuntime rt = service(MlirRuntime.class);
        HardwareAbstraction hw = service(HardwareAbstraction.class);
        service(ComputeBackend.class, "(" + ComputeBackend.KIND_PROPERTY + "=CPU)");
        boolean opencl = openClAvailable(hw);
        Random rnd = new Random(2026);
        for (String[] p : PROGRAMS) {
            ModuleSource src = new ModuleSource(p[0], "mlir", p[1]);
            List<Tensor> args = new java.util.ArrayList<>();
            for (int i = 2; i < p.length; i++) {
                args.add(random(rnd, p[i]));
            }
            CompiledModule onCpu = rt.compile(src, List.of(BackendKind.CPU));
            try {
                assertEquals(BackendKind.CPU, onCpu.backend());
                ExecutionResult c = await(rt.execute(onCpu, "main", args));
                assertEquals(BackendKind.CPU, c.backend());
                if (opencl) {
                    CompiledModule onCl = rt.compile(src, List.of(BackendKind.OPENCL));
                    try {
                        assertEquals(p[0], BackendKind.OPENCL, onCl.backend());
                        ExecutionResult o = await(rt.execute(onCl, "main", args));
                        assertEquals(BackendKind.OPENCL, o.backend());
                        assertTrue(p[0] + ": CPU " + c.result(0) + " vs OpenCL " + o.result(0),
                                c.result(0).isCloseTo(o.result(0), 1e-5, 1e-5));
                    } finally {
                        onCl.release();
                    }
                }
            } finally {
                onCpu.release();
            }
        }
        if (opencl) {
            ComputeBackend cl = service(ComputeBackend.class, "(" + ComputeBackend.KIND_PROPERTY + "=OPENCL)");
            assertEquals("OpenCL device buffers left after release", 0, cl.liveAllocations());
        }
        // the console prints results the way mlir-cpu-runner prints memrefs
        Path file = Files.createTempFile("ew", ".mlir");
        try {
            Files.writeString(file, EW, StandardCharsets.UTF_8);
            String out = execute("csf:compute-run --backend cpu --input a=1,2,3,4,5,6,7,8 --input b=0,0,0,0,-5,-6,-7,-8 " + file);
            assertContains(out, "rank = 2 offset = 0 sizes = [2, 4] strides = [4, 1] data = \n[[0.761594,   1.92806,   2.98516,   3.99732], \n"
                    + " [0,   0,   0,   0]]");
            if (opencl) {
                String cl = execute("csf:compute-run --backend opencl --input a=1,2,3,4,5,6,7,8 --input b=0,0,0,0,-5,-6,-7,-8 " + file);
                assertEquals(out.substring(out.indexOf(" rank")), cl.substring(cl.indexOf(" rank")));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void anMlirFileInDeployRegistersAComputeFunctionUntilItIsRemoved() throws Exception {
        Path file = Path.of(System.getProperty("karaf.base"), "deploy", "itscale.mlir");
        String filter = "(" + ComputeFunction.NAME_PROPERTY + "=itscale.main)";
        try {
            Files.writeString(file, EW, StandardCharsets.UTF_8);
            ComputeFunction f = service(ComputeFunction.class, filter);
            assertEquals("itscale.main", f.name());
            assertEquals(2, f.signature().parameters().size());
            Tensor a = Tensor.ofFloats(new int[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8);
            ExecutionResult r = await(f.call(a, Tensor.zeros(io.chronofabric.api.compute.ElementType.F32, 2, 4)));
            assertEquals(Math.tanh(1.0), r.result(0).getDouble(0), 1e-6);
        } finally {
            Files.deleteIfExists(file);
        }
        waitFor(() -> {
            try {
                return bundleContext.getServiceReferences(ComputeFunction.class, filter).isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, "the compute function leaves with its file");
    }

    @Test
    public void aStoppedBackendFailsClearlyOrFallsBackAsAsked() throws Exception {
        MlirRuntime rt = service(MlirRuntime.class);
        HardwareAbstraction hw = service(HardwareAbstraction.class);
        boolean opencl = openClAvailable(hw);
        BackendKind kind = opencl ? BackendKind.OPENCL : BackendKind.CPU;
        Bundle b = bundle(opencl ? "io.chronofabric.compute.opencl" : "io.chronofabric.compute.cpu");
        ModuleSource src = new ModuleSource("stop", "mlir", EW);
        List<Tensor> args = List.of(Tensor.ofFloats(new int[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8),
                Tensor.ofFloats(new int[] {2, 4}, 1, 1, 1, 1, 1, 1, 1, 1));
        CompiledModule m = rt.compile(src, List.of(kind));
        assertEquals(kind, m.backend());
        ExecutionResult before = await(rt.execute(m, "main", args));
        b.stop();
        try {
            waitFor(() -> hw.backend(kind).isEmpty(), kind + " backend gone");
            Throwable t = failure(rt.execute(m, "main", args, new ExecutionOptions(null, ExecutionOptions.OnBackendLoss.FAIL)));
            assertTrue(String.valueOf(t), t instanceof BackendUnavailableException);
            assertContains(t.getMessage(), "the " + kind + " backend that compiled module 'stop'");
            assertContains(t.getMessage(), "is no longer registered");
            if (opencl) {
                ExecutionResult after = await(rt.execute(m, "main", args, new ExecutionOptions(null, ExecutionOptions.OnBackendLoss.FALL_BACK)));
                assertEquals(BackendKind.CPU, after.backend());
                assertTrue(before.result(0).isCloseTo(after.result(0), 1e-5, 1e-5));
            } else {
                Throwable none = failure(rt.execute(m, "main", args, new ExecutionOptions(null, ExecutionOptions.OnBackendLoss.FALL_BACK)));
                assertTrue(String.valueOf(none), none instanceof BackendUnavailableException);
            }
        } finally {
            m.release();
            b.start();
        }
        waitFor(() -> hw.backend(kind).map(BackendStatus::available).orElse(false), kind + " backend back");
        CompiledModule again = rt.compile(src, List.of(kind));
        try {
            assertEquals(kind, again.backend());
            assertTrue(before.result(0).isCloseTo(await(rt.execute(again, "main", args)).result(0), 0, 0));
        } finally {
            again.release();
        }
    }

    @Test
    public void theOpenClBackendRunsAfterEachOfThreeUpdates() throws Exception {
        HardwareAbstraction hw = service(HardwareAbstraction.class);
        if (!openClAvailable(hw)) {
            return;
        }
        MlirRuntime rt = service(MlirRuntime.class);
        Bundle b = bundle("io.chronofabric.compute.opencl");
        org.osgi.framework.wiring.FrameworkWiring wiring = bundleContext.getBundle(0).adapt(org.osgi.framework.wiring.FrameworkWiring.class);
        List<Tensor> args = List.of(Tensor.ofFloats(new int[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8), Tensor.zeros(io.chronofabric.api.compute.ElementType.F32, 2, 4));
        for (int i = 0; i < 3; i++) {
            final int round = i;
            // a new revision: a new class loader for the backend, while JOCL's JNI library stays loaded in its wrapper
            b.update();
            java.util.concurrent.CountDownLatch refreshed = new java.util.concurrent.CountDownLatch(1);
            wiring.refreshBundles(List.of(b), e -> refreshed.countDown());
            assertTrue("refresh " + i, refreshed.await(60, TimeUnit.SECONDS));
            waitFor(() -> hw.backend(BackendKind.OPENCL).map(BackendStatus::available).orElse(false),
                    () -> "OpenCL available after update " + round + ": " + hw.backend(BackendKind.OPENCL));
            CompiledModule m = rt.compile(new ModuleSource("upd", "mlir", EW), List.of(BackendKind.OPENCL));
            try {
                ExecutionResult r = await(rt.execute(m, "main", args));
                assertEquals(BackendKind.OPENCL, r.backend());
                assertEquals(Math.tanh(1.0), r.result(0).getDouble(0), 1e-6);
            } finally {
                m.release();
            }
        }
    }

    @Test
    public void badInputIsRefusedNamingTheThingThatWasWrong() throws Exception {
        MlirRuntime rt = service(MlirRuntime.class);
        CompiledModule m = rt.compile(new ModuleSource("bad", "mlir", EW), List.of(BackendKind.CPU));
        try {
            Throwable t = failure(rt.execute(m, "nope", List.of()));
            assertContains(t.getMessage(), "no function @nope in module 'bad' (it has @main)");
            t = failure(rt.execute(m, "main", List.of(Tensor.zeros(io.chronofabric.api.compute.ElementType.F32, 2, 3),
                    Tensor.zeros(io.chronofabric.api.compute.ElementType.F32, 2, 4))));
            assertContains(t.getMessage(), "argument %a of @main: expected tensor<2x4xf32>, got tensor<2x3xf32> (dimension 1 is 3, expected 4)");
            t = failure(rt.execute(m, "main", List.of(Tensor.zeros(io.chronofabric.api.compute.ElementType.I32, 2, 4),
                    Tensor.zeros(io.chronofabric.api.compute.ElementType.F32, 2, 4))));
            assertContains(t.getMessage(), "element type i32, expected f32");
        } finally {
            m.release();
        }
        try {
            rt.compile(new ModuleSource("conv", "mlir", "func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {\n"
                    + "  %0 = linalg.conv_2d %a : tensor<2xf32>\n  return %0 : tensor<2xf32>\n}\n"), List.of());
            throw new AssertionError("linalg.conv_2d should be refused");
        } catch (IllegalArgumentException e) {
            assertContains(e.getMessage(), "unsupported op 'linalg.conv_2d' at 2:8");
        }
        Path file = Files.createTempFile("ew", ".mlir");
        try {
            Files.writeString(file, EW, StandardCharsets.UTF_8);
            assertContains(executeExpectingError("csf:compute-run --backend quantum " + file),
                    "unknown backend kind 'quantum': known kinds are CPU, CUDA");
            assertContains(executeExpectingError("csf:compute-run --backend cuda " + file), "backend CUDA cannot run");
            assertContains(executeExpectingError("csf:compute-run --function nope " + file), "no function @nope");
            assertContains(executeExpectingError("csf:compute-run --input a=1,2 " + file), "--input a: tensor<2x4xf32> takes 8 values, got 2");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
