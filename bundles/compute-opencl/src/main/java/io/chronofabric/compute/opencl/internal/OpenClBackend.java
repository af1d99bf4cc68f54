package io.chronofabric.compute.opencl.internal;

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
import io.chronofabric.compute.mlir.MlirException;
import io.chronofabric.compute.mlir.MlirModule;
import io.chronofabric.compute.mlir.MlirParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenCL backend: lowers modules of the MLIR subset to OpenCL C ({@link Lowering}), builds
 * them with the device's compiler and runs executions one at a time on its own thread. JOCL
 * comes from the long-lived wrapper bundle (its JNI library loads once per JVM), so this bundle
 * can be stopped, updated and started again. Without libOpenCL, a platform or a device it
 * registers anyway and reports unavailable with the reason.
 */
@Component(name = OpenClConfig.PID, configurationPid = OpenClConfig.PID, immediate = true, service = ComputeBackend.class,
        property = ComputeBackend.KIND_PROPERTY + "=OPENCL")
@Designate(ocd = OpenClConfig.class)
public final class OpenClBackend implements ComputeBackend {

    private static final Logger LOG = LoggerFactory.getLogger(OpenClBackend.class);

    private volatile OpenClDevice device;
    private volatile String unavailable = "not started";
    private volatile boolean stopped;
    private ExecutorService worker;
    /** Executions accepted and not yet finished: completed with an error if the backend stops first. */
    private final Set<CompletableFuture<ExecutionResult>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public OpenClBackend() {
    }

    @Activate
    void activate(OpenClConfig config) {
        open(config.platform(), config.device_type());
    }

    /** Opens the device (tests call this without a framework). */
    void open(String platform, String deviceType) {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "chronofabric-opencl");
            t.setDaemon(true);
            return t;
        });
        try {
            device = OpenClDevice.open(platform, deviceType);
            unavailable = "";
            LOG.info("OpenCL backend ready on {}", device.description);
        } catch (IllegalStateException e) {
            unavailable = e.getMessage();
            LOG.warn("OpenCL backend unavailable: {}", unavailable);
        } catch (LinkageError e) {
            unavailable = "JOCL could not load libOpenCL (" + e + "; install ocl-icd-opencl-dev and an ICD such as pocl-opencl-icd)";
            LOG.warn("OpenCL backend unavailable: {}", unavailable);
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (CompletableFuture<ExecutionResult> f : pending) {
            f.completeExceptionally(new IllegalStateException("OpenCL backend stopped before the execution ran"));
        }
        pending.clear();
        OpenClDevice d = device;
        device = null;
        if (d != null) {
            if (d.liveBuffers() != 0) {
                LOG.warn("OpenCL backend stopping with {} buffer(s) still allocated (modules not released)", d.liveBuffers());
            }
            d.close();
        }
    }

    @Override
    public BackendKind kind() {
        return BackendKind.OPENCL;
    }

    @Override
    public boolean isAvailable() {
        return device != null && !stopped;
    }

    @Override
    public Optional<String> unavailableReason() {
        return isAvailable() ? Optional.empty() : Optional.of(stopped ? "backend stopped" : unavailable);
    }

    @Override
    public String device() {
        OpenClDevice d = device;
        return d == null ? "none" : d.description;
    }

    @Override
    public Set<String> supportedOps() {
        return isAvailable() ? Lowering.SUPPORTED : Set.of();
    }

    @Override
    public int liveAllocations() {
        OpenClDevice d = device;
        return d == null ? 0 : d.liveBuffers();
    }

    static MlirModule parse(ModuleSource source) {
        try {
            return MlirParser.parse(source.text());
        } catch (MlirException e) {
            throw new IllegalArgumentException("module '" + source.name() + "': " + e.getMessage(), e);
        }
    }

    private static final java.util.regex.Pattern UNSUPPORTED = java.util.regex.Pattern.compile(
            "unsupported op '([^']+)' at (\\d+):(\\d+).*", java.util.regex.Pattern.DOTALL);

    @Override
    public SupportReport support(ModuleSource source) {
        MlirModule m;
        try {
            m = MlirParser.parse(source.text());
        } catch (MlirException e) {
            java.util.regex.Matcher u = UNSUPPORTED.matcher(e.getMessage());
            if (!u.matches()) {
                throw new IllegalArgumentException("module '" + source.name() + "': " + e.getMessage(), e);
            }
            try {
                // generic-form ops outside the subset stay in the IR: list them all (and what else cannot be lowered)
                m = MlirParser.parseLenient(source.text());
            } catch (MlirException pretty) {
                // an unknown op in a pretty form: its syntax is unknown, so the report stops at it
                return new SupportReport(BackendKind.OPENCL, Set.of(), List.of(new SupportReport.UnsupportedOp(u.group(1),
                        Integer.parseInt(u.group(2)), Integer.parseInt(u.group(3)), "outside the MLIR subset")));
            }
        }
        Lowering l = Lowering.of(m);
        List<SupportReport.UnsupportedOp> bad = new ArrayList<>();
        for (Unsupported u : l.problems) {
            bad.add(new SupportReport.UnsupportedOp(u.op.name(), u.op.location().line(), u.op.location().column(), u.reason));
        }
        for (io.chronofabric.compute.mlir.Operation o : m.unsupportedOps()) {
            if (l.problems.stream().noneMatch(p -> p.op == o)) {
                bad.add(new SupportReport.UnsupportedOp(o.name(), o.location().line(), o.location().column(), "outside the MLIR subset"));
            }
        }
        bad.sort(java.util.Comparator.comparingInt(SupportReport.UnsupportedOp::line).thenComparingInt(SupportReport.UnsupportedOp::column));
        return new SupportReport(BackendKind.OPENCL, l.opsUsed, bad);
    }

    private OpenClDevice requireDevice() {
        OpenClDevice d = device;
        if (d == null || stopped) {
            throw new IllegalStateException("OpenCL backend unavailable: " + unavailableReason().orElse(""));
        }
        return d;
    }

    @Override
    public CompiledModule compile(ModuleSource source) {
        OpenClDevice d = requireDevice();
        MlirModule m = parse(source);
        Lowering l = Lowering.of(m);
        if (!l.problems.isEmpty()) {
            throw new IllegalArgumentException("module '" + source.name() + "': " + l.problems.get(0).getMessage());
        }
        return new OpenClModule(this, d, source, m, l);
    }

    @Override
    public CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments) {
        CompletableFuture<ExecutionResult> f = new CompletableFuture<>();
        try {
            if (!(module instanceof OpenClModule m) || m.backend != this) {
                throw new IllegalArgumentException("module '" + (module == null ? null : module.name())
                        + "' was not compiled by this OpenCL backend");
            }
            FunctionSignature sig = m.requireFunction(function);
            sig.checkArguments(arguments);
            requireDevice();
            pending.add(f);
            worker.execute(() -> run(m, function, arguments, f));
        } catch (RuntimeException e) {
            pending.remove(f);
            f.completeExceptionally(e);
        }
        return f;
    }

    /**
     * Results into buffers: an OpenCL buffer of this backend's device receives its result by a
     * device-side copy (no read back to the host); other buffers through {@link DeviceBuffer#write}.
     */
    @Override
    public CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments,
            List<DeviceBuffer> outputs) {
        CompletableFuture<ExecutionResult> f = new CompletableFuture<>();
        try {
            if (!(module instanceof OpenClModule m) || m.backend != this) {
                throw new IllegalArgumentException("module '" + (module == null ? null : module.name())
                        + "' was not compiled by this OpenCL backend");
            }
            FunctionSignature sig = m.requireFunction(function);
            sig.checkArguments(arguments);
            java.util.Objects.requireNonNull(outputs, "outputs");
            sig.checkOutputs(outputs);
            DeviceBuffer[] outs = outputs.toArray(new DeviceBuffer[0]);
            requireDevice();
            pending.add(f);
            worker.execute(() -> {
                try {
                    runNow(m, function, arguments, outs, f);
                } finally {
                    pending.remove(f);
                }
            });
        } catch (RuntimeException e) {
            pending.remove(f);
            f.completeExceptionally(e);
        }
        return f;
    }

    private void run(OpenClModule m, String function, List<Tensor> arguments, CompletableFuture<ExecutionResult> f) {
        try {
            runNow(m, function, arguments, null, f);
        } finally {
            pending.remove(f);
        }
    }

    private void runNow(OpenClModule m, String function, List<Tensor> arguments, DeviceBuffer[] outputs,
            CompletableFuture<ExecutionResult> f) {
        if (f.isDone()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            List<Tensor> results;
            synchronized (m) {
                if (m.isReleased()) {
                    throw new IllegalStateException("module '" + m.name() + "' was released");
                }
                if (stopped) {
                    throw new IllegalStateException("OpenCL backend stopped");
                }
                try (Execution e = new Execution(m, f)) {
                    results = e.run(function, arguments, outputs);
                }
            }
            if (outputs != null) {
                List<Tensor> rest = new ArrayList<>();
                for (int i = 0; i < results.size(); i++) {
                    Tensor t = results.get(i);
                    if (outputs[i] == null) {
                        rest.add(t);
                    } else if (t != null) { // not copied on the device: another backend's buffer, or a host scalar
                        if (t.size() > outputs[i].elements()) {
                            throw new IllegalArgumentException("output " + i + " of @" + function + ": result " + t.type()
                                    + " has " + t.size() + " elements, the buffer " + outputs[i].elements());
                        }
                        outputs[i].write(t);
                    }
                }
                results = rest;
            }
            f.complete(new ExecutionResult(results, BackendKind.OPENCL, System.nanoTime() - t0));
        } catch (MlirException e) {
            f.completeExceptionally(new IllegalArgumentException(e.getMessage(), e));
        } catch (RuntimeException | LinkageError e) {
            f.completeExceptionally(e);
        }
    }

    /** Where printMemref* calls of a module go (the log by default; tests collect them). */
    private volatile java.util.function.Consumer<String> printSink = text -> LOG.info("printMemref:\n{}", text);

    void printSink(java.util.function.Consumer<String> sink) {
        this.printSink = sink;
    }

    void print(String text) {
        printSink.accept(text);
    }

    @Override
    public DeviceBuffer allocate(ElementType type, int elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("buffer of " + elements + " elements: size must be >= 0");
        }
        return new OpenClBuffer(requireDevice(), type, elements);
    }
}
