package io.chronofabric.shell.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.HardwareAbstraction;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** sgemm (linalg.matmul f32) in GFLOP/s and the dispatch overhead of a tiny module, on one backend. */
@Service
@Command(scope = "csf", name = "compute-bench", description = "Measures single-precision matmul (linalg.matmul on tensor<NxNxf32>) in GFLOP/s "
        + "and the time per execution of a tiny compiled module (tensor<32xf32> elementwise), through the compute runtime.")
public class ComputeBenchCommand extends ComputeCommandSupport {

    @Option(name = "-b", aliases = "--backend", description = "Backend kind (default CPU).")
    String backend = "CPU";

    @Option(name = "-n", aliases = "--sizes", description = "Matrix sizes, comma separated (default 256,512).")
    String sizes = "256,512";

    @Option(name = "-r", aliases = "--repeat", description = "Timed executions per size (default 5; the best is reported).")
    int repeat = 5;

    @Option(name = "--tiny", description = "Executions of the tiny module, after as many for warm-up (default 100000).")
    int tiny = 100_000;

    static String matmul(int n) {
        String t = "tensor<" + n + "x" + n + "xf32>";
        return "func.func @mm(%a: " + t + ", %b: " + t + ") -> " + t + " {\n"
                + "  %z = arith.constant 0.0 : f32\n"
                + "  %e = tensor.empty() : " + t + "\n"
                + "  %c = linalg.fill ins(%z : f32) outs(%e : " + t + ") -> " + t + "\n"
                + "  %r = linalg.matmul ins(%a, %b : " + t + ", " + t + ") outs(%c : " + t + ") -> " + t + "\n"
                + "  return %r : " + t + "\n}\n";
    }

    static final String TINY = """
            func.func @axpy(%x: tensor<32xf32>, %y: tensor<32xf32>) -> tensor<32xf32> {
              %0 = arith.mulf %x, %y : tensor<32xf32>
              %1 = arith.addf %0, %y : tensor<32xf32>
              return %1 : tensor<32xf32>
            }
            """;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        BackendKind kind = BackendKind.parse(backend);
        if (repeat < 1 || tiny < 1) {
            throw new IllegalArgumentException("--repeat and --tiny must be at least 1");
        }
        Random rnd = new Random(1);
        for (String s : sizes.split(",")) {
            int n;
            try {
                n = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sizes: '" + s + "' is not a number");
            }
            if (n < 1 || n > 4096) {
                throw new IllegalArgumentException("--sizes: " + n + " is out of range 1..4096");
            }
            ModuleSource src = new ModuleSource("sgemm" + n, "mlir", matmul(n));
            check(kind, src);
            CompiledModule m = runtime.compile(src, List.of(kind));
            try {
                float[] a = new float[n * n];
                float[] b = new float[n * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = rnd.nextFloat();
                    b[i] = rnd.nextFloat();
                }
                List<Tensor> args = List.of(Tensor.wrapFloats(new int[] {n, n}, a), Tensor.wrapFloats(new int[] {n, n}, b));
                run(m, "mm", args); // warm-up (and kernel build)
                long best = Long.MAX_VALUE;
                for (int i = 0; i < repeat; i++) {
                    long t0 = System.nanoTime();
                    run(m, "mm", args);
                    best = Math.min(best, System.nanoTime() - t0);
                }
                out.println(String.format(Locale.ROOT, "sgemm n=%d on %s: %.2f GFLOP/s (best of %d: %s)", n, m.backend(),
                        2.0 * n * n * n / best, repeat, Durations.format(best)));
            } finally {
                m.release();
            }
        }
        ModuleSource src = new ModuleSource("tiny", "mlir", TINY);
        check(kind, src);
        CompiledModule m = runtime.compile(src, List.of(kind));
        try {
            List<Tensor> args = List.of(Tensor.full(ElementType.F32, new int[] {32}, 1.5), Tensor.full(ElementType.F32, new int[] {32}, 2));
            // warm-up as long as the measurement: the JIT compiles the path first
            for (int i = 0; i < tiny; i++) {
                run(m, "axpy", args);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < tiny; i++) {
                run(m, "axpy", args);
            }
            long per = (System.nanoTime() - t0) / tiny;
            out.println(String.format(Locale.ROOT, "tiny module (tensor<32xf32> mulf+addf) on %s: %s per execution (%d executions, "
                    + "through MlirRuntime.execute and back)", m.backend(), Durations.format(per), tiny));
        } finally {
            m.release();
        }
    }

    private void check(BackendKind kind, ModuleSource src) {
        HardwareAbstraction.Selection s = hardware.select(src, List.of(kind));
        if (s.chosen() != kind) {
            throw new IllegalStateException("backend " + kind + " cannot run the benchmark: " + String.join("; ", s.skipped()));
        }
    }

    private ExecutionResult run(CompiledModule m, String fn, List<Tensor> args) throws Exception {
        return runtime.execute(m, fn, args).toCompletableFuture().get(10, TimeUnit.MINUTES);
    }
}
