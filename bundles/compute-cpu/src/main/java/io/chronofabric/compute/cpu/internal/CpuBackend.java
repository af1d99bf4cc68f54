package io.chronofabric.compute.cpu.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.compute.DeviceBuffer;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.FunctionSignature;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.SupportReport;
import io.chronofabric.api.compute.Tensor;
import io.chronofabric.api.compute.TensorType;
import io.chronofabric.compute.mlir.Function;
import io.chronofabric.compute.mlir.MlirException;
import io.chronofabric.compute.mlir.MlirModule;
import io.chronofabric.compute.mlir.MlirParser;
import io.chronofabric.compute.mlir.Ops;
import io.chronofabric.compute.mlir.ScalarType;
import io.chronofabric.compute.mlir.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPU {@link ComputeBackend}: compiles the MLIR subset into a {@link CpuProgram} and runs it,
 * small executions on the caller's thread, larger ones on its own executor. Always available.
 */
@Component(name = CpuBackendConfig.PID, configurationPid = CpuBackendConfig.PID, immediate = true,
        service = ComputeBackend.class, property = ComputeBackend.KIND_PROPERTY + "=CPU")
@Designate(ocd = CpuBackendConfig.class)
public final class CpuBackend implements ComputeBackend {

    private static final Logger LOG = LoggerFactory.getLogger(CpuBackend.class);
    private static final Pattern UNSUPPORTED = Pattern.compile("unsupported op '([^']+)' at (\\d+):(\\d+)");

    private volatile CpuEngine engine;
    private volatile ExecutorService executor;
    private volatile int inlineMaxElements;
    private volatile boolean active;
    private final String model = cpuModel();
    private final AtomicInteger liveBuffers = new AtomicInteger();

    public CpuBackend() {
    }

    /** For tests and benchmarks outside OSGi. */
    public CpuBackend(int threads, boolean vector, int inlineMaxElements) {
        start(threads, vector, inlineMaxElements, 2);
    }

    @Activate
    void activate(CpuBackendConfig config) {
        configure(config);
        LOG.info("CPU compute backend on {} ({} threads per op, sgemm {}; Vector API: {})", model, engine.threads(),
                engine.sgemmKernel().describe(), engine.vectorStatus());
    }

    @Modified
    void modified(CpuBackendConfig config) {
        configure(config);
    }

    private void configure(CpuBackendConfig c) {
        if (c.threads() < 0 || c.executions() < 1 || c.inline_max_elements() < 0) {
            throw new IllegalArgumentException("io.chronofabric.compute.cpu: threads must be >= 0 (0 = one per core), got "
                    + c.threads() + "; executions >= 1, got " + c.executions() + "; inline.max.elements >= 0, got "
                    + c.inline_max_elements());
        }
        int threads = c.threads() == 0 ? Runtime.getRuntime().availableProcessors() : c.threads();
        start(threads, c.vector(), c.inline_max_elements(), c.executions());
    }

    private synchronized void start(int threads, boolean vector, int inlineMax, int executions) {
        CpuEngine old = engine;
        ExecutorService oldExec = executor;
        AtomicInteger n = new AtomicInteger();
        engine = new CpuEngine(threads, vector);
        executor = Executors.newFixedThreadPool(executions, r -> {
            Thread t = new Thread(r, "chronofabric-compute-cpu-exec-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        inlineMaxElements = inlineMax;
        active = true;
        if (old != null) {
            oldExec.shutdown(); // running executions finish on the old engine
            old.closeWhenIdle();
        }
    }

    @Deactivate
    public synchronized void deactivate() {
        active = false;
        if (executor != null) {
            executor.shutdownNow();
        }
        if (engine != null) {
            engine.close();
        }
    }

    CpuEngine engine() {
        return engine;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.CPU;
    }

    @Override
    public boolean isAvailable() {
        return active;
    }

    @Override
    public Optional<String> unavailableReason() {
        return active ? Optional.empty() : Optional.of("the CPU backend is stopped");
    }

    @Override
    public String device() {
        CpuEngine e = engine;
        return model + ", " + (e == null ? 0 : e.threads()) + " threads, sgemm " + (e == null ? "-" : e.sgemmKernel().describe());
    }

    @Override
    public Set<String> supportedOps() {
        return active ? Ops.supported() : Set.of();
    }

    @Override
    public SupportReport support(ModuleSource source) {
        try {
            MlirModule m = MlirParser.parse(source.text());
            Set<String> used = new TreeSet<>();
            m.walk(o -> used.add(o.name()));
            return new SupportReport(BackendKind.CPU, used, List.of());
        } catch (MlirException e) {
            Matcher u = UNSUPPORTED.matcher(e.getMessage());
            if (!u.matches()) {
                throw new IllegalArgumentException(source.name() + ": " + e.getMessage(), e);
            }
            try { // generic-form ops outside the subset can all be listed
                MlirModule m = MlirParser.parseLenient(source.text());
                Set<String> used = new TreeSet<>();
                m.walk(o -> used.add(o.name()));
                List<SupportReport.UnsupportedOp> missing = new ArrayList<>();
                for (io.chronofabric.compute.mlir.Operation o : m.unsupportedOps()) {
                    missing.add(new SupportReport.UnsupportedOp(o.name(), o.location().line(), o.location().column(),
                            "outside the MLIR subset"));
                }
                return new SupportReport(BackendKind.CPU, used, missing);
            } catch (MlirException pretty) { // an unknown op in a pretty form: its syntax is unknown, stop at it
                return new SupportReport(BackendKind.CPU, Set.of(), List.of(new SupportReport.UnsupportedOp(u.group(1),
                        Integer.parseInt(u.group(2)), Integer.parseInt(u.group(3)), "outside the MLIR subset")));
            }
        }
    }

    @Override
    public CompiledModule compile(ModuleSource source) {
        if (!active) {
            throw new IllegalStateException("the CPU backend is stopped");
        }
        if (!source.language().equalsIgnoreCase("mlir")) {
            throw new IllegalArgumentException("module '" + source.name() + "' is in language '" + source.language()
                    + "': the CPU backend compiles mlir");
        }
        try {
            MlirModule m = MlirParser.parse(source.text());
            CpuProgram program = new CpuProgram(m, this::engine);
            return new CpuModule(this, source, program, signatures(m, program));
        } catch (MlirException e) {
            throw new IllegalArgumentException(source.name() + ": " + e.getMessage(), e);
        }
    }

    private static List<FunctionSignature> signatures(MlirModule m, CpuProgram p) {
        List<FunctionSignature> out = new ArrayList<>();
        for (Function f : m.functions().values()) {
            if (f.isDeclaration()) {
                continue;
            }
            List<FunctionSignature.Parameter> params = new ArrayList<>();
            for (int i = 0; i < f.type().inputs().size(); i++) {
                String name = f.body().arguments().get(i).name().substring(1);
                params.add(new FunctionSignature.Parameter(name, apiType(f.type().inputs().get(i))));
            }
            out.add(new FunctionSignature(f.name(), params, f.type().results().stream().map(CpuBackend::apiType).toList()));
        }
        return out;
    }

    static TensorType apiType(Type t) {
        if (t instanceof ScalarType s) {
            return TensorType.scalar(ElementType.valueOf(s.name()));
        }
        io.chronofabric.compute.mlir.TensorType tt = (io.chronofabric.compute.mlir.TensorType) t;
        ElementType e = ElementType.valueOf(tt.element().name());
        return tt.isRanked() ? TensorType.ranked(e, tt.shape()) : TensorType.unranked(e);
    }

    /**
     * A heap buffer: as an output of {@link #execute(CompiledModule, String, List, List)} the
     * kernels write into it directly when its result is computed in place (see there).
     */
    @Override
    public DeviceBuffer allocate(ElementType type, int elements) {
        if (!active) {
            throw new IllegalStateException("the CPU backend is stopped");
        }
        return new CpuBuffer(type, elements, liveBuffers);
    }

    /** Buffers handed out by {@link #allocate} and not released (an execution holds none of its own). */
    @Override
    public int liveAllocations() {
        return liveBuffers.get();
    }

    @Override
    public CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments) {
        return submit(module, function, arguments, null);
    }

    /**
     * Results into buffers: a {@link CpuBuffer} (of any CPU backend instance) of f32, f64, i64 or
     * index whose size equals the result's and whose result is, through ops that reuse their
     * operand in place, a {@code tensor.empty} (as in {@code tensor.empty -> linalg.fill ->
     * linalg.matmul} or a {@code linalg.generic} with a tensor.empty init) is the array the
     * kernels write: no result allocation and no copy. Any other output is copied into (CPU
     * buffers) or written through {@link DeviceBuffer#write} (other backends' buffers).
     */
    @Override
    public CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments,
            List<DeviceBuffer> outputs) {
        if (outputs == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("outputs is null (use the three-argument"
                    + " execute to get every result as a tensor)"));
        }
        return submit(module, function, arguments, outputs);
    }

    private CompletionStage<ExecutionResult> submit(CompiledModule module, String function, List<Tensor> arguments,
            List<DeviceBuffer> outputs) {
        CompletableFuture<ExecutionResult> future = new CompletableFuture<>();
        try {
            if (!(module instanceof CpuModule m) || m.backend != this) {
                throw new IllegalArgumentException("module '" + module.name() + "' was compiled by the " + module.backend()
                        + " backend" + (module instanceof CpuModule ? " (another CPU backend instance)" : "")
                        + ", not by this CPU backend");
            }
            if (m.isReleased()) {
                throw new IllegalStateException("module '" + m.name() + "' is released");
            }
            if (!active) {
                throw new IllegalStateException("the CPU backend is stopped");
            }
            FunctionSignature sig = m.requireFunction(function);
            sig.checkArguments(arguments);
            CpuProgram.CompiledFunction f = m.program.function(function);
            List<Tensor> args = List.copyOf(arguments);
            DeviceBuffer[] outs = null;
            Object[] destinations = null;
            if (outputs != null) {
                sig.checkOutputs(outputs);
                outs = outputs.toArray(new DeviceBuffer[0]);
                destinations = destinations(f, sig, outs);
            }
            long elements = 0;
            for (Tensor t : args) {
                elements += t.size();
            }
            for (TensorType r : sig.results()) {
                elements += r.isRanked() && r.isStatic() ? product(r.shape()) : 0;
            }
            // arguments are converted by the thread that runs the execution (reusing its buffers)
            DeviceBuffer[] o = outs;
            Object[] d = destinations;
            Runnable work = () -> run(m, f, args, o, d, future);
            if (elements <= inlineMaxElements) {
                work.run();
            } else {
                try {
                    executor.execute(work);
                } catch (RejectedExecutionException e) {
                    if (!active) {
                        throw new IllegalStateException("the CPU backend is stopped", e);
                    }
                    executor.execute(work); // reconfigured meanwhile: the new executor takes it
                }
            }
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    private static long product(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** Per result: the CPU buffer's array its kernels write in place, or null. */
    private static Object[] destinations(CpuProgram.CompiledFunction f, FunctionSignature sig, DeviceBuffer[] outs) {
        Object[] d = null;
        for (int i = 0; i < outs.length; i++) {
            if (outs[i] instanceof CpuBuffer b && f.resultInPlace(i)) {
                TensorType t = sig.results().get(i);
                int size = (int) product(t.shape());
                Object a = switch (t.elementType()) {
                    case F32 -> b.floatsFor(size);
                    case F64 -> b.doublesFor(size);
                    case I64, INDEX -> b.longsFor(t.elementType(), size);
                    default -> null;
                };
                if (a != null) {
                    if (d == null) {
                        d = new Object[outs.length];
                    }
                    d[i] = a;
                }
            }
        }
        return d;
    }

    private void run(CpuModule m, CpuProgram.CompiledFunction f, List<Tensor> arguments, DeviceBuffer[] outputs,
            Object[] destinations, CompletableFuture<ExecutionResult> future) {
        if (future.isDone()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            CpuTensor[] pool = f.argumentBuffers();
            CpuTensor[] args = new CpuTensor[arguments.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = argument(f, i, arguments.get(i), pool);
            }
            StringBuilder printed = new StringBuilder(0);
            CpuProgram.Context ctx = new CpuProgram.Context(printed, future);
            ctx.destinations = destinations;
            CpuTensor[] r = f.run(args, ctx);
            if (printed.length() > 0) {
                LOG.info("@{} of module '{}' printed:\n{}", f.name, m.name(), printed);
            }
            List<Tensor> results = new ArrayList<>(r.length);
            for (int i = 0; i < r.length; i++) {
                CpuTensor t = r[i];
                DeviceBuffer out = outputs == null ? null : outputs[i];
                if (out == null) {
                    // a tensor must never share an output buffer's array (the buffer is written again later)
                    results.add(toApi(isDestination(t, destinations) ? t.copy() : t));
                } else if (destinations != null && destinations[i] != null && t.data() == destinations[i]) {
                    continue; // computed in place
                } else if (out instanceof CpuBuffer b) {
                    b.writeFrom(t);
                } else {
                    out.write(toApi(isDestination(t, destinations) ? t.copy() : t));
                }
            }
            future.complete(new ExecutionResult(results, BackendKind.CPU, System.nanoTime() - t0));
        } catch (MlirException e) {
            future.completeExceptionally(new IllegalArgumentException("@" + f.name + " of module '" + m.name() + "': "
                    + e.getMessage(), e));
        } catch (RuntimeException | OutOfMemoryError e) {
            future.completeExceptionally(e);
        }
    }

    private static boolean isDestination(CpuTensor t, Object[] destinations) {
        if (destinations != null) {
            Object data = t.data();
            for (Object d : destinations) {
                if (d != null && d == data) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Argument {@code i} of {@code f} for the CPU: the API tensor's read-only view when {@code f}
     * only reads it as a matmul operand (zero copy), else a copy (into {@code pool}'s buffer).
     */
    static CpuTensor argument(CpuProgram.CompiledFunction f, int i, Tensor t, CpuTensor[] pool) {
        if (f.readsArgumentInPlace(i) && t.elementType() == ElementType.F32) {
            return CpuTensor.viewOfFloats(t.shape(), t.floatBuffer());
        }
        return toCpu(t, pool, i);
    }

    static CpuTensor toCpu(Tensor t) {
        return toCpu(t, null, 0);
    }

    /** Copies {@code t} into {@code pool[slot]}'s array when it fits (and keeps the new one there otherwise). */
    static CpuTensor toCpu(Tensor t, CpuTensor[] pool, int slot) {
        int[] shape = t.shape();
        int n = t.size();
        CpuTensor prev = pool == null ? null : pool[slot];
        switch (t.elementType()) {
            case F32: {
                float[] a = prev != null && prev.f != null && prev.f.length == n ? prev.f : new float[n];
                t.copyTo(a, 0);
                CpuTensor r = CpuTensor.ofFloats(shape, a);
                if (pool != null) {
                    pool[slot] = r;
                }
                return r;
            }
            case F64: {
                double[] a = prev != null && prev.d != null && prev.d.length == n ? prev.d : new double[n];
                t.copyTo(a, 0);
                CpuTensor r = CpuTensor.ofDoubles(shape, a);
                if (pool != null) {
                    pool[slot] = r;
                }
                return r;
            }
            case I1: {
                boolean[] b = new boolean[n];
                t.copyTo(b, 0);
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = b[i] ? 1 : 0;
                }
                return CpuTensor.ofLongs(ScalarType.I1, shape, a);
            }
            case I32: {
                int[] b = new int[n];
                t.copyTo(b, 0);
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = b[i];
                }
                return CpuTensor.ofLongs(ScalarType.I32, shape, a);
            }
            default: {
                long[] a = new long[n];
                t.copyTo(a, 0);
                return CpuTensor.ofLongs(ScalarType.valueOf(t.elementType().name()), shape, a);
            }
        }
    }

    static Tensor toApi(CpuTensor t) {
        switch (t.element) {
            case F32:
                return Tensor.wrapFloats(t.shape.clone(), t.f);
            case F64:
                return Tensor.wrapDoubles(t.shape.clone(), t.d);
            case I1: {
                boolean[] b = new boolean[t.size];
                for (int i = 0; i < b.length; i++) {
                    b[i] = t.l[i] != 0;
                }
                return Tensor.wrapBooleans(t.shape.clone(), b);
            }
            case I32: {
                int[] b = new int[t.size];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (int) t.l[i];
                }
                return Tensor.wrapInts(t.shape.clone(), b);
            }
            default:
                return Tensor.wrapLongs(ElementType.valueOf(t.element.name()), t.shape.clone(), t.l);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** "model name" of /proc/cpuinfo, else the architecture. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch", "cpu");
    }

    /** A module compiled by one CpuBackend instance. */
    static final class CpuModule implements CompiledModule {
        final CpuBackend backend;
        final ModuleSource source;
        final CpuProgram program;
        final List<FunctionSignature> functions;
        final String hash;
        private volatile boolean released;

        CpuModule(CpuBackend backend, ModuleSource source, CpuProgram program, List<FunctionSignature> functions) {
            this.backend = backend;
            this.source = source;
            this.program = program;
            this.functions = List.copyOf(functions);
            this.hash = sha256(source.text());
        }

        @Override
        public String name() {
            return source.name();
        }

        @Override
        public BackendKind backend() {
            return BackendKind.CPU;
        }

        @Override
        public String contentHash() {
            return hash;
        }

        @Override
        public ModuleSource source() {
            return source;
        }

        @Override
        public List<FunctionSignature> functions() {
            return functions;
        }

        @Override
        public void release() {
            released = true;
        }

        @Override
        public boolean isReleased() {
            return released;
        }
    }
}
