package io.chronofabric.compute.cpu.internal;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Before/after in one run (issue 12): (1) arguments copied out of the API tensors vs read in
 * place through {@code Tensor.floatBuffer()}, per CPU-second of the measuring thread; (2) the
 * two-thread sgemm, the old static split (each thread packs all of B, one row block each, futures)
 * vs the dynamic one (B packed once and shared, ~4 row blocks per thread claimed by whoever is
 * free), with wall time, CPU time per thread and the worker's share; (3) the fork-join round trip.
 * Prints /proc/loadavg with each section.
 *
 * <pre>
 * OPENBLAS_NUM_THREADS=1 java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.chronofabric.compute.cpu.internal.CpuParallelBench
 * </pre>
 */
public final class CpuParallelBench {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final int[] SIZES = {256, 512, 1024};

    private CpuParallelBench() {
    }

    static String load() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "load average ?";
        }
    }

    /** The module with each argument through a tensor.cast: the arguments are copied (the path before). */
    static String copyingModule(int n) {
        String t = "tensor<" + n + "x" + n + "xf32>";
        return "func.func @mm(%a: " + t + ", %b: " + t + ") -> " + t + " {\n"
                + "  %a2 = tensor.cast %a : " + t + " to " + t + "\n"
                + "  %b2 = tensor.cast %b : " + t + " to " + t + "\n"
                + "  %z = arith.constant 0.0 : f32\n"
                + "  %e = tensor.empty() : " + t + "\n"
                + "  %c = linalg.fill ins(%z : f32) outs(%e : " + t + ") -> " + t + "\n"
                + "  %r = linalg.matmul ins(%a2, %b2 : " + t + ", " + t + ") outs(%c : " + t + ") -> " + t + "\n"
                + "  return %r : " + t + "\n}\n";
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        return x;
    }

    public static void main(String[] args) throws Exception {
        System.out.println(CpuComputeBench.cpuLimit());
        if (args.length > 0 && args[0].equals("ew")) { // section (4) alone, 24 s
            elementwise();
            System.out.println(load());
            return;
        }
        if (args.length > 0 && args[0].equals("two")) { // section (2) alone, 30 s
            twoThreads();
            System.out.println(load());
            return;
        }
        zeroCopy();
        twoThreads();
        forkJoin();
        elementwise();
        System.out.println(load());
    }

    /**
     * (4) whole-tensor elementwise ops through the backend with 1 and 2 threads (split above
     * ParallelRange.MIN_WORK) and with 2 threads into an output buffer: arith.addf and math.exp on
     * tensor<Nxf32>, alternating, best wall time of each after 5 warm-up rounds, 4 s per case.
     */
    static void elementwise() {
        System.out.println("== (4) elementwise ops on whole tensors, 1 vs 2 threads (best wall); " + load());
        CpuBackend one = new CpuBackend(1, true, Integer.MAX_VALUE);
        CpuBackend two = new CpuBackend(2, true, Integer.MAX_VALUE);
        try {
            for (String op : new String[] {"arith.addf %a, %b", "math.exp %a"}) {
                for (int n : new int[] {1 << 16, 1 << 20, 1 << 22}) {
                    String t = "tensor<" + n + "xf32>";
                    String text = "func.func @f(%a: " + t + ", %b: " + t + ") -> " + t + " {\n  %r = " + op + " : " + t
                            + "\n  return %r : " + t + "\n}\n";
                    CompiledModule m1 = one.compile(new ModuleSource("ew", "mlir", text));
                    CompiledModule m2 = two.compile(new ModuleSource("ew", "mlir", text));
                    Random r = new Random(1);
                    List<Tensor> in = List.of(Tensor.ofFloats(new int[] {n}, random(r, n)), Tensor.ofFloats(new int[] {n}, random(r, n)));
                    List<io.chronofabric.api.compute.DeviceBuffer> outs = List.of(two.allocate(
                            io.chronofabric.api.compute.ElementType.F32, n));
                    long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
                    long end = System.nanoTime() + 4_000_000_000L;
                    int rounds = 0;
                    while (System.nanoTime() < end) {
                        for (int w = 0; w < 3; w++) {
                            long t0 = System.nanoTime();
                            if (w == 2) {
                                two.execute(m2, "f", in, outs).toCompletableFuture().join();
                            } else {
                                (w == 0 ? one : two).execute(w == 0 ? m1 : m2, "f", in).toCompletableFuture().join();
                            }
                            long dt = System.nanoTime() - t0;
                            if (rounds >= 5) {
                                best[w] = Math.min(best[w], dt);
                            }
                        }
                        rounds++;
                    }
                    System.out.printf(Locale.ROOT, "%-10s n=%-8d runs %6d  1 thread %9.1f µs  2 threads %9.1f µs (x%.2f)"
                            + "  2 threads into a buffer %9.1f µs (x%.2f)%n", op.substring(0, op.indexOf(' ')), n, rounds - 5,
                            best[0] / 1e3, best[1] / 1e3, (double) best[0] / best[1], best[2] / 1e3, (double) best[0] / best[2]);
                    outs.get(0).release();
                }
            }
        } finally {
            one.deactivate();
            two.deactivate();
        }
    }

    /** (1) per CPU-second of the measuring thread, backend with 1 thread on the caller's thread. */
    static void zeroCopy() {
        System.out.println("== (1) arguments copied vs read in place; backend 1 thread, per CPU-second; " + load());
        BLAS blas = NativeBLAS.getInstance();
        CpuBackend backend = new CpuBackend(1, true, Integer.MAX_VALUE);
        try {
            for (int n : SIZES) {
                Random r = new Random(42);
                float[] a = random(r, n * n);
                float[] b = random(r, n * n);
                float[] c = new float[n * n];
                List<Tensor> in = List.of(Tensor.ofFloats(new int[] {n, n}, a), Tensor.ofFloats(new int[] {n, n}, b));
                CompiledModule copying = backend.compile(new ModuleSource("copy" + n, "mlir", copyingModule(n)));
                CompiledModule inPlace = backend.compile(new ModuleSource("mm" + n, "mlir", CpuComputeBench.matmulModule(n)));
                double[] best = new double[3];
                for (int round = 0; round < 4; round++) { // round 0 warms up
                    for (int which = 0; which < 3; which++) {
                        long c0 = MX.getCurrentThreadCpuTime();
                        long w0 = System.nanoTime();
                        int it = 0;
                        while (System.nanoTime() - w0 < 1_000_000_000L) {
                            if (which == 2) {
                                blas.sgemm("N", "N", n, n, n, 1f, b, n, a, n, 0f, c, n);
                            } else {
                                backend.execute(which == 0 ? copying : inPlace, "mm", in).toCompletableFuture().join();
                            }
                            it++;
                        }
                        double g = 2.0 * n * n * n * it / (MX.getCurrentThreadCpuTime() - c0);
                        if (round > 0) {
                            best[which] = Math.max(best[which], g);
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "sgemm n=%-5d copied %6.1f GFLOP/s  in place %6.1f  openblas1 %6.1f"
                        + "  ratios copied %.2f in place %.2f (x%.2f)%n", n, best[0], best[1], best[2], best[0] / best[2],
                        best[1] / best[2], best[1] / best[0]);
            }
        } finally {
            backend.deactivate();
        }
    }

    /** (2) kernel level, 2 threads: static split vs dynamic, wall and CPU time per thread. */
    static void twoThreads() throws Exception {
        System.out.println("== (2) sgemm on 2 threads (caller + 1 worker): static split, dynamic with equal blocks (before),"
                + " dynamic with guided blocks (after); " + load());
        long[] workerId = new long[1];
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> {
            Thread t = new Thread(r, "bench-sgemm-worker");
            t.setDaemon(true);
            workerId[0] = t.getId();
            return t;
        });
        pool.submit(() -> { }).get();
        String[] why = new String[1];
        Sgemm kernel = SgemmSupport.vectorOrNull(why);
        if (kernel == null) {
            System.out.println("no Vector API: " + why[0]);
            return;
        }
        ThreadLocal<Sgemm.Workspace> ws = ThreadLocal.withInitial(Sgemm.Workspace::new);
        try {
            for (int n : SIZES) {
                Random r = new Random(42);
                FloatBuffer a = FloatBuffer.wrap(random(r, n * n)).asReadOnlyBuffer();
                FloatBuffer b = FloatBuffer.wrap(random(r, n * n)).asReadOnlyBuffer();
                float[] c = new float[n * n];
                // which: 0 = 1 thread, 1 = static 2 threads, 2 = dynamic 2 threads equal blocks, 3 = dynamic guided blocks,
                // 4 = two independent single-threaded products at once (caller and worker, nothing shared but the
                // machine): the ceiling of any split on this machine, per product pair
                int variants = 5;
                float[] c2 = new float[n * n];
                long[] bestWall = new long[variants];
                Arrays.fill(bestWall, Long.MAX_VALUE);
                long[] sumWall = new long[variants];
                long[] sumCaller = new long[variants];
                long[] sumWorker = new long[variants];
                int[] runs = new int[variants];
                long end = System.nanoTime() + 10_000_000_000L;
                int round = 0;
                while (System.nanoTime() < end) {
                    for (int which = 0; which < variants; which++) {
                        Arrays.fill(c, 0f);
                        long wk0 = MX.getThreadCpuTime(workerId[0]);
                        long c0 = MX.getCurrentThreadCpuTime();
                        long t0 = System.nanoTime();
                        if (which == 0) {
                            SgemmSupport.multiply(kernel, n, n, n, a, b, c, null, 1, ws);
                        } else if (which == 4) {
                            Arrays.fill(c2, 0f);
                            java.util.concurrent.Future<?> other = pool.submit(
                                    () -> SgemmSupport.multiply(kernel, n, n, n, a, b, c2, null, 1, ws));
                            SgemmSupport.multiply(kernel, n, n, n, a, b, c, null, 1, ws);
                            other.get();
                        } else if (which == 1) {
                            SgemmSupport.multiplyStatic(kernel, n, n, n, a, b, c, pool, 2, ws);
                        } else {
                            SgemmSupport.multiply(kernel, n, n, n, a, b, c, pool, 2, ws, which == 3);
                        }
                        long wall = System.nanoTime() - t0;
                        long caller = MX.getCurrentThreadCpuTime() - c0;
                        if (which >= 2) {
                            pool.submit(() -> { }).get(); // a late dynamic worker has finished its (empty) turn
                        }
                        long worker = MX.getThreadCpuTime(workerId[0]) - wk0;
                        if (round >= 5) {
                            bestWall[which] = Math.min(bestWall[which], wall);
                            sumWall[which] += wall;
                            sumCaller[which] += caller;
                            sumWorker[which] += worker;
                            runs[which]++;
                        }
                    }
                    round++;
                }
                double f1 = 2.0 * n * n * n;
                String[] names = {"1 thread      ", "static split  ", "dynamic equal ", "dynamic guided", "2 independent "};
                for (int w = 0; w < variants; w++) {
                    double f = w == 4 ? 2 * f1 : f1; // the pair does two products
                    double cpu = (double) (sumCaller[w] + sumWorker[w]) / runs[w];
                    System.out.printf(Locale.ROOT, "sgemm n=%-5d %s runs %5d  best wall %6.1f GFLOP/s (x%.2f of 1 thread)"
                            + "  mean wall %6.1f  per CPU-second %6.1f  CPU per run: caller %.3f ms worker %.3f ms"
                            + " (worker share %.0f%%)  CPU/wall %.2f%n", n, names[w], runs[w], f / bestWall[w],
                            f / bestWall[w] / (f1 / bestWall[0]), f * runs[w] / sumWall[w], f / cpu,
                            sumCaller[w] / 1e6 / runs[w], sumWorker[w] / 1e6 / runs[w],
                            100.0 * sumWorker[w] / (sumCaller[w] + sumWorker[w]), cpu * runs[w] / sumWall[w]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** (3) submitting an empty task to the pool and waiting for it. */
    static void forkJoin() throws Exception {
        System.out.println("== (3) fork-join round trip (submit an empty task, wait); " + load());
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            long[] t = new long[20000];
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                pool.submit(() -> { }).get();
                t[i] = System.nanoTime() - t0;
            }
            long[] s = Arrays.copyOfRange(t, 2000, t.length);
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "round trip: median %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f µs%n",
                    s[s.length / 2] / 1e3, s[s.length * 9 / 10] / 1e3, s[s.length * 99 / 100] / 1e3, s[s.length - 1] / 1e3);
        } finally {
            pool.shutdownNow();
        }
    }
}
