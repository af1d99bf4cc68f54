package io.chronofabric.shell.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ExecutionOptions;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.FunctionSignature;
import io.chronofabric.api.compute.HardwareAbstraction;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

/** Compiles a .mlir file, runs one function and prints its results like mlir-cpu-runner prints memrefs. */
@Service
@Command(scope = "csf", name = "compute-run", description = "Compiles an MLIR file on a compute backend, runs one function and prints "
        + "each result the way mlir-cpu-runner's printMemrefF32 does ('Unranked Memref base@ = ... rank = 2 offset = 0 sizes = [2, 4] "
        + "strides = [4, 1] data =' and the rows).")
public class ComputeRunCommand extends ComputeCommandSupport {

    @Argument(index = 0, name = "file", required = true, description = "The .mlir file (relative to the Karaf home).")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "-b", aliases = "--backend", description = "Backend kind to run on (CPU, OPENCL, CUDA, ...); default: the runtime's "
            + "preferred backends with fallback to the CPU. A kind named here that cannot run the module is an error, with the reason.")
    String backend;

    @Option(name = "-f", aliases = "--function", description = "Function to run (default: main, else the first function).")
    String function;

    @Option(name = "-i", aliases = "--input", multiValued = true, description = "An argument: NAME=v1,v2,... (NAME is the parameter "
            + "without %, e.g. arg0=1,2,3,4; values row-major, as many as the parameter's type holds). Parameters not given are zeros.")
    List<String> inputs;

    @Option(name = "-t", aliases = "--timeout", description = "Execution timeout in milliseconds (default: the runtime's).")
    long timeoutMs;

    @Option(name = "--timing", description = "Also print the backend and the execution time after the results.")
    boolean timing;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("No such file: " + path.toAbsolutePath());
        }
        String name = path.getFileName().toString().replaceFirst("\\.mlir$", "");
        ModuleSource source = new ModuleSource(name, "mlir", Files.readString(path, StandardCharsets.UTF_8));
        List<BackendKind> preferred = List.of();
        if (backend != null) {
            BackendKind kind = BackendKind.parse(backend);
            HardwareAbstraction.Selection s = hardware.select(source, List.of(kind));
            if (s.chosen() != kind) {
                throw new IllegalStateException("backend " + kind + " cannot run " + path + ": " + String.join("; ", s.skipped()));
            }
            preferred = List.of(kind);
        }
        CompiledModule module = runtime.compile(source, preferred);
        try {
            FunctionSignature f = function != null ? module.requireFunction(function)
                    : module.function("main").orElseGet(() -> module.functions().isEmpty() ? null : module.functions().get(0));
            if (f == null) {
                throw new IllegalArgumentException(path + " defines no function");
            }
            List<Tensor> args = arguments(f, inputs == null ? List.of() : inputs);
            ExecutionOptions options = timeoutMs > 0 ? ExecutionOptions.withTimeout(Duration.ofMillis(timeoutMs)) : ExecutionOptions.DEFAULTS;
            ExecutionResult r;
            try {
                r = runtime.execute(module, f.name(), args, options).toCompletableFuture().get(1, TimeUnit.DAYS);
            } catch (ExecutionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                throw c instanceof Exception ex ? ex : e;
            }
            for (Tensor t : r.results()) {
                out.print(MemrefPrinter.print(t));
            }
            if (timing) {
                out.println(String.format(Locale.ROOT, "# @%s ran on %s in %s", f.name(), r.backend(), Durations.format(r.elapsedNanos())));
            }
        } finally {
            module.release();
        }
    }

    /** Tensors for the parameters from NAME=values options; errors name the parameter and what was wrong. */
    static List<Tensor> arguments(FunctionSignature f, List<String> inputs) {
        Map<String, String> given = new HashMap<>();
        for (String in : inputs) {
            int eq = in.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--input '" + in + "' is not NAME=values");
            }
            String n = in.substring(0, eq).trim().replaceFirst("^%", "");
            if (f.parameters().stream().noneMatch(p -> p.name().equals(n))) {
                throw new IllegalArgumentException("--input " + n + ": @" + f.name() + " has no parameter %" + n + " (it has "
                        + f.parameters().stream().map(p -> "%" + p.name()).toList() + ")");
            }
            given.put(n, in.substring(eq + 1));
        }
        List<Tensor> args = new ArrayList<>();
        for (FunctionSignature.Parameter p : f.parameters()) {
            if (!p.type().isStatic() && !p.type().isScalar()) {
                if (!given.containsKey(p.name())) {
                    throw new IllegalArgumentException("parameter %" + p.name() + " has type " + p.type() + ": give it with --input");
                }
            }
            int[] shape = p.type().isRanked() && p.type().isStatic() ? p.type().shape() : null;
            String text = given.get(p.name());
            if (text == null) {
                args.add(Tensor.zeros(p.type().elementType(), shape));
                continue;
            }
            String[] parts = text.isBlank() ? new String[0] : text.split("[,\\s]+");
            double[] values = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    values[i] = parts[i].equalsIgnoreCase("true") ? 1 : parts[i].equalsIgnoreCase("false") ? 0 : Double.parseDouble(parts[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--input " + p.name() + ": value " + (i + 1) + " '" + parts[i] + "' is not a number");
                }
            }
            if (shape == null) {
                shape = new int[] {values.length};
            }
            int need = 1;
            for (int d : shape) {
                need *= d;
            }
            if (values.length != need) {
                throw new IllegalArgumentException("--input " + p.name() + ": " + p.type() + " takes " + need + " values, got " + values.length);
            }
            args.add(Tensor.of(p.type().elementType(), shape, values));
        }
        return args;
    }
}
