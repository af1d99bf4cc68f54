package io.chronofabric.compute.probe.common;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.SupportReport;
import io.chronofabric.api.compute.Tensor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A backend that only looks for its driver and device and says what it found. It runs nothing:
 * ChronoFabric has no code generator for these kinds yet, so it always reports unavailable,
 * with the reason (what is missing, or that the device is there but no backend drives it).
 * Selection then falls back, and {@code csf:compute-backends} tells the truth.
 */
public abstract class ProbeBackend implements ComputeBackend {

    private volatile Probe.Finding finding;

    /** Probes now (file checks only: no native library is loaded). */
    protected final void probe() {
        finding = find();
    }

    /** What this kind looks for. */
    protected abstract Probe.Finding find();

    private Probe.Finding finding() {
        Probe.Finding f = finding;
        if (f == null) {
            f = find();
            finding = f;
        }
        return f;
    }

    @Override
    public final boolean isAvailable() {
        return false;
    }

    @Override
    public final Optional<String> unavailableReason() {
        return Optional.of(finding().reason());
    }

    @Override
    public final String device() {
        return finding().device();
    }

    @Override
    public final Set<String> supportedOps() {
        return Set.of();
    }

    private IllegalStateException unavailable() {
        return new IllegalStateException(kind() + " backend unavailable: " + finding().reason());
    }

    @Override
    public final SupportReport support(ModuleSource source) {
        throw unavailable();
    }

    @Override
    public final CompiledModule compile(ModuleSource source) {
        throw unavailable();
    }

    @Override
    public final CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments) {
        return CompletableFuture.failedFuture(unavailable());
    }

    /** The kind, for subclasses' logs. */
    protected final String describe() {
        BackendKind k = kind();
        return k + " probe: " + finding().reason();
    }
}
