package io.chronofabric.compute.cpu.internal;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.DeviceBuffer;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The CPU compute backend's speed (issue 12): sgemm through the backend (a compiled
 * {@code linalg.fill + linalg.matmul} module, inputs read in place through the API tensors'
 * read-only views and the result wrapped out as every execution does) with 1 and 2 threads, OpenBLAS single-threaded through JNI BLAS
 * (dev.ludovic.netlib, the system libblas.so.3 = Debian libopenblas0-pthread), and the
 * dispatch cost of a compiled tensor<32xf32> elementwise module. "cpu1out"/"cpu2out": the same
 * executions into a preallocated CPU output buffer (API compute 1.2), computed in its array. {@link #main} runs them all and
 * prints GFLOP/s side by side with the CPU's peak read from /proc/cpuinfo.
 *
 * <pre>
 * OPENBLAS_NUM_THREADS=1 java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.chronofabric.compute.cpu.internal.CpuComputeBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CpuComputeBench {

    @Param({"256", "512", "1024"})
    public int n;

    /** cpu1, cpu2 (threads of the backend), openblas1 (OpenBLAS, OPENBLAS_NUM_THREADS=1). */
    @Param({"cpu1", "cpu2", "cpu1out", "cpu2out", "openblas1"})
    public String impl;

    private CpuBackend backend;
    private CompiledModule module;
    private List<Tensor> args;
    private List<DeviceBuffer> outs;
    private float[] a;
    private float[] b;
    private float[] c;
    private BLAS blas;

    static String matmulModule(int n) {
        String t = "tensor<" + n + "x" + n + "xf32>";
        return "func.func @mm(%a: " + t + ", %b: " + t + ") -> " + t + " {\n"
                + "  %z = arith.constant 0.0 : f32\n"
                + "  %e = tensor.empty() : " + t + "\n"
                + "  %c = linalg.fill ins(%z : f32) outs(%e : " + t + ") -> " + t + "\n"
                + "  %r = linalg.matmul ins(%a, %b : " + t + ", " + t + ") outs(%c : " + t + ") -> " + t + "\n"
                + "  return %r : " + t + "\n}\n";
    }

    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(42);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
            b[i] = r.nextFloat() - 0.5f;
        }
        if (impl.startsWith("cpu")) {
            backend = new CpuBackend(impl.startsWith("cpu2") ? 2 : 1, true, 0);
            outs = impl.endsWith("out") ? List.of(backend.allocate(ElementType.F32, n * n)) : null;
            module = backend.compile(new ModuleSource("mm" + n, "mlir", matmulModule(n)));
            args = List.of(Tensor.ofFloats(new int[] {n, n}, a), Tensor.ofFloats(new int[] {n, n}, b));
        } else {
            blas = NativeBLAS.getInstance(); // throws when no native BLAS loads: never the Java fallback
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (backend != null) {
            backend.deactivate();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object sgemm() {
        if (blas != null) {
            // row-major C = A*B is column-major C^T = B^T * A^T
            blas.sgemm("N", "N", n, n, n, 1f, b, n, a, n, 0f, c, n);
            return c;
        }
        return (outs == null ? backend.execute(module, "mm", args) : backend.execute(module, "mm", args, outs))
                .toCompletableFuture().join();
    }

    /** Model, flags and an FP32 peak estimate from /proc/cpuinfo. */
    static String cpuLimit() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = "?";
            String flags = "";
            double mhz = 0;
            int cpus = 0;
            for (String l : lines) {
                if (l.startsWith("model name")) {
                    model = l.substring(l.indexOf(':') + 1).trim();
                    cpus++;
                } else if (l.startsWith("flags") && flags.isEmpty()) {
                    flags = l.substring(l.indexOf(':') + 1).trim();
                } else if (l.startsWith("cpu MHz") && mhz == 0) {
                    mhz = Double.parseDouble(l.substring(l.indexOf(':') + 1).trim());
                }
            }
            boolean avx512 = (" " + flags + " ").contains(" avx512f ");
            boolean fma = (" " + flags + " ").contains(" fma ");
            int lanes = avx512 ? 16 : (" " + flags + " ").contains(" avx2 ") ? 8 : 4;
            double perUnit = mhz / 1000 * lanes * (fma ? 2 : 1);
            return String.format(Locale.ROOT, "CPU: %s, %d logical CPUs, %.0f MHz, %s%s; FP32 peak per core = %.0f GFLOP/s per"
                    + " %d-bit FMA unit (x2 = %.0f with two FMA units per core)", model, cpus, mhz,
                    avx512 ? "avx512f" : lanes == 8 ? "avx2" : "sse", fma ? "+fma" : "", perUnit, lanes * 32, perUnit * 2);
        } catch (Exception e) {
            return "CPU: /proc/cpuinfo not readable (" + e + ")";
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cputime")) { // the per-CPU-second comparison alone, 55 s
            System.out.println(cpuLimit());
            cpuTimeComparison().forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("reuse")) { // fresh result vs output buffer, per CPU-second, 50 s
            System.out.println(cpuLimit());
            System.out.println("load average before: " + loadAverage());
            reuseComparison().forEach(System.out::println);
            System.out.println("load average after: " + loadAverage());
            return;
        }
        if (args.length > 0 && args[0].equals("best")) {
            System.out.println(cpuLimit());
            bestWallClock().forEach(System.out::println);
            return;
        }
        Collection<RunResult> results = new ArrayList<>(new Runner(new OptionsBuilder()
                .include(CpuComputeBench.class.getName() + ".sgemm").build()).run());
        results.addAll(new Runner(new OptionsBuilder().include(CpuDispatchBench.class.getName()).build()).run());
        List<String> rows = new ArrayList<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            if (label.endsWith("sgemm")) {
                int size = Integer.parseInt(r.getParams().getParam("n"));
                double gflops = 2.0 * size * size * size / (score * 1e6);
                rows.add(String.format(Locale.ROOT, "sgemm n=%-5d %-10s %8.3f ms ± %.3f  %7.1f GFLOP/s", size,
                        r.getParams().getParam("impl"), score, err, gflops));
            } else {
                rows.add(String.format(Locale.ROOT, "dispatch tensor<32xf32> elementwise: %.2f µs ± %.2f per execution", score,
                        err));
            }
        }
        List<String> cpuTime = cpuTimeComparison();
        System.out.println(cpuLimit());
        System.out.println("BLAS: " + NativeBLAS.getInstance().getClass().getName() + " on the system libblas.so.3");
        rows.forEach(System.out::println);
        System.out.println("Per CPU-second of the measuring thread (load-independent; single-threaded only):");
        cpuTime.forEach(System.out::println);
    }

    /**
     * The fastest of many alternating executions with 1 and 2 threads (wall clock): on a busy
     * machine the minimum is the run least disturbed by others, the closest to what a quiet
     * machine gives; arguments {@code best}.
     */
    static List<String> bestWallClock() {
        List<String> out = new ArrayList<>();
        CpuBackend one = new CpuBackend(1, true, Integer.MAX_VALUE);
        CpuBackend two = new CpuBackend(2, true, Integer.MAX_VALUE);
        BLAS blas = NativeBLAS.getInstance();
        try {
            for (int n : new int[] {256, 512, 1024}) {
                Random r = new Random(42);
                float[] a = new float[n * n];
                float[] b = new float[n * n];
                float[] c = new float[n * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextFloat() - 0.5f;
                    b[i] = r.nextFloat() - 0.5f;
                }
                List<Tensor> in = List.of(Tensor.ofFloats(new int[] {n, n}, a), Tensor.ofFloats(new int[] {n, n}, b));
                CompiledModule m1 = one.compile(new ModuleSource("mm" + n, "mlir", matmulModule(n)));
                CompiledModule m2 = two.compile(new ModuleSource("mm" + n, "mlir", matmulModule(n)));
                List<DeviceBuffer> o1 = List.of(one.allocate(ElementType.F32, n * n));
                List<DeviceBuffer> o2 = List.of(two.allocate(ElementType.F32, n * n));
                long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
                long end = System.nanoTime() + 12_000_000_000L;
                int rounds = 0;
                while (System.nanoTime() < end) {
                    for (int which = 0; which < 5; which++) {
                        long t0 = System.nanoTime();
                        if (which == 2) {
                            blas.sgemm("N", "N", n, n, n, 1f, b, n, a, n, 0f, c, n);
                        } else if (which < 2) {
                            (which == 0 ? one : two).execute(which == 0 ? m1 : m2, "mm", in).toCompletableFuture().join();
                        } else {
                            (which == 3 ? one : two).execute(which == 3 ? m1 : m2, "mm", in, which == 3 ? o1 : o2)
                                    .toCompletableFuture().join();
                        }
                        long t = System.nanoTime() - t0;
                        if (rounds >= 5) { // the first rounds warm up
                            best[which] = Math.min(best[which], t);
                        }
                    }
                    rounds++;
                }
                double f = 2.0 * n * n * n;
                out.add(String.format(Locale.ROOT, "sgemm n=%-5d best of %d: cpu1 %6.1f GFLOP/s  cpu2 %6.1f GFLOP/s (x%.2f)"
                        + "  openblas1 %6.1f  cpu1/openblas1 %.2f  cpu2/openblas1 %.2f%n             into a buffer: cpu1out %6.1f"
                        + "  cpu2out %6.1f (x%.2f)  cpu1out/openblas1 %.2f  cpu2out/openblas1 %.2f", n, rounds - 5, f / best[0],
                        f / best[1], (double) best[0] / best[1], f / best[2], (double) best[2] / best[0],
                        (double) best[2] / best[1], f / best[3], f / best[4], (double) best[3] / best[4],
                        (double) best[2] / best[3], (double) best[2] / best[4]));
            }
        } finally {
            one.deactivate();
            two.deactivate();
        }
        return out;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    /**
     * Output reuse, per CPU-second of the measuring thread (1 thread, on the caller's thread): the
     * backend returning a fresh result tensor (before) and writing into a preallocated CPU buffer
     * (after), the kernel alone (C zeroed, C += A*B on raw arrays) and OpenBLAS, alternating 1 s
     * each, best of 3 rounds after a warm-up round; argument {@code reuse}.
     */
    static List<String> reuseComparison() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<String> out = new ArrayList<>();
        BLAS blas = NativeBLAS.getInstance();
        CpuBackend backend = new CpuBackend(1, true, Integer.MAX_VALUE);
        try {
            for (int n : new int[] {256, 512, 1024}) {
                Random r = new Random(42);
                float[] a = new float[n * n];
                float[] b = new float[n * n];
                float[] c = new float[n * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextFloat() - 0.5f;
                    b[i] = r.nextFloat() - 0.5f;
                }
                CompiledModule m = backend.compile(new ModuleSource("mm" + n, "mlir", matmulModule(n)));
                List<Tensor> args = List.of(Tensor.ofFloats(new int[] {n, n}, a), Tensor.ofFloats(new int[] {n, n}, b));
                List<DeviceBuffer> outs = List.of(backend.allocate(ElementType.F32, n * n));
                double[] best = new double[4];
                Sgemm kernel = backend.engine().sgemmKernel();
                ThreadLocal<Sgemm.Workspace> ws = ThreadLocal.withInitial(Sgemm.Workspace::new);
                for (int round = 0; round < 4; round++) { // round 0 warms up
                    for (int which = 0; which < 4; which++) {
                        long c0 = mx.getCurrentThreadCpuTime();
                        long w0 = System.nanoTime();
                        int it = 0;
                        while (System.nanoTime() - w0 < 1_000_000_000L) {
                            switch (which) {
                                case 0 -> backend.execute(m, "mm", args).toCompletableFuture().join();
                                case 1 -> backend.execute(m, "mm", args, outs).toCompletableFuture().join();
                                case 2 -> {
                                    java.util.Arrays.fill(c, 0f);
                                    SgemmSupport.multiply(kernel, n, n, n, a, b, c, null, 1, ws);
                                }
                                default -> blas.sgemm("N", "N", n, n, n, 1f, b, n, a, n, 0f, c, n);
                            }
                            it++;
                        }
                        double g = 2.0 * n * n * n * it / (mx.getCurrentThreadCpuTime() - c0);
                        if (round > 0) {
                            best[which] = Math.max(best[which], g);
                        }
                    }
                }
                float[] check = new float[n * n];
                outs.get(0).floatBuffer().get(0, check);
                java.util.Arrays.fill(c, 0f);
                SgemmSupport.multiply(kernel, n, n, n, a, b, c, null, 1, ws);
                if (!java.util.Arrays.equals(check, c)) {
                    throw new IllegalStateException("the output buffer differs from the kernel's product at n=" + n);
                }
                out.add(String.format(Locale.ROOT, "sgemm n=%-5d fresh result %6.1f GFLOP/s  into buffer %6.1f  kernel alone %6.1f"
                        + "  openblas1 %6.1f  ratios to openblas1: fresh %.2f  buffer %.2f  kernel %.2f  buffer/fresh %.2f", n,
                        best[0], best[1], best[2], best[3], best[0] / best[3], best[1] / best[3], best[2] / best[3],
                        best[1] / best[0]));
                outs.get(0).release();
            }
        } finally {
            backend.deactivate();
        }
        return out;
    }

    /**
     * GFLOP/s per second of the measuring thread's CPU time, for the backend with 1 thread (run on
     * the caller's thread) and OpenBLAS single-threaded: on a loaded machine wall time measures
     * the scheduler, CPU time the code.
     */
    static List<String> cpuTimeComparison() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<String> out = new ArrayList<>();
        BLAS blas = NativeBLAS.getInstance();
        CpuBackend backend = new CpuBackend(1, true, Integer.MAX_VALUE);
        try {
            for (int n : new int[] {256, 512, 1024}) {
                Random r = new Random(42);
                float[] a = new float[n * n];
                float[] b = new float[n * n];
                float[] c = new float[n * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextFloat() - 0.5f;
                    b[i] = r.nextFloat() - 0.5f;
                }
                CompiledModule m = backend.compile(new ModuleSource("mm" + n, "mlir", matmulModule(n)));
                List<Tensor> args = List.of(Tensor.ofFloats(new int[] {n, n}, a), Tensor.ofFloats(new int[] {n, n}, b));
                double[] best = new double[3];
                Sgemm kernel = backend.engine().sgemmKernel();
                ThreadLocal<Sgemm.Workspace> ws = ThreadLocal.withInitial(Sgemm.Workspace::new);
                for (int round = 0; round < 4; round++) { // round 0 warms up
                    for (int which = 0; which < 3; which++) {
                        long c0 = mx.getCurrentThreadCpuTime();
                        long w0 = System.nanoTime();
                        int it = 0;
                        while (System.nanoTime() - w0 < 1_500_000_000L) {
                            if (which == 0) {
                                backend.execute(m, "mm", args).toCompletableFuture().join();
                            } else if (which == 2) { // the kernel alone: C = 0, C += A*B on raw arrays
                                java.util.Arrays.fill(c, 0f);
                                SgemmSupport.multiply(kernel, n, n, n, a, b, c, null, 1, ws);
                            } else {
                                blas.sgemm("N", "N", n, n, n, 1f, b, n, a, n, 0f, c, n);
                            }
                            it++;
                        }
                        double g = 2.0 * n * n * n * it / (mx.getCurrentThreadCpuTime() - c0);
                        if (round > 0) {
                            best[which] = Math.max(best[which], g);
                        }
                    }
                }
                out.add(String.format(Locale.ROOT, "sgemm n=%-5d cpu1 %6.1f GFLOP/s  kernel alone %6.1f  openblas1 %6.1f"
                        + "  ratios %.2f / %.2f (best of 3 rounds of 1.5 s)", n, best[0], best[2], best[1], best[0] / best[1],
                        best[2] / best[1]));
            }
        } finally {
            backend.deactivate();
        }
        return out;
    }
}
