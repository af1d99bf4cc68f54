package io.chronofabric.api.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The compute runtime (the seed's MlirRuntime): compiles MLIR modules on the best available
 * backend, caches them by content and runs their functions asynchronously. Thread-safe.
 *
 * <p><b>Selection.</b> {@link #compile(ModuleSource, List)} walks the preferred kinds in order
 * and takes the first backend that is registered, available and whose {@link SupportReport}
 * names no unsupported op; if none qualifies it falls back to {@link BackendKind#CPU}. A kind
 * skipped is logged with the reason.
 *
 * <p><b>Cache.</b> Compiled modules are keyed by (backend, SHA-256 of the text). Each {@code
 * compile} returns a handle and counts one reference; {@link CompiledModule#release()} (or
 * {@link #release}) drops it and the backend's module is freed with the last reference. A
 * backend that goes away drops its cache entries.
 *
 * <p><b>Backends coming and going.</b> An execution whose backend is no longer registered
 * either fails with {@link BackendUnavailableException} naming the kind, or is compiled again on
 * the next preferred available backend and run there, as {@link ExecutionOptions#onBackendLoss()}
 * or the runtime's configuration says.
 *
 * <p><b>Executions</b> return a stage that completes with the result, or exceptionally with
 * {@link IllegalArgumentException} (unknown function, wrong arguments), {@link
 * java.util.concurrent.TimeoutException} after the timeout, {@link
 * java.util.concurrent.CancellationException} when cancelled through {@code
 * toCompletableFuture().cancel(true)}, or {@link BackendUnavailableException}. Cancellation and
 * timeout reach the backend, which stops at its next op boundary.
 *
 * @since 1.1
 */
@ProviderType
public interface MlirRuntime {

    /**
     * Compiles on the first suitable preferred backend, else on the CPU.
     *
     * @param preferred kinds in order of preference; may be empty (then the configured order)
     * @throws IllegalArgumentException if the module does not parse or the CPU refuses it; the
     *         message names line, column and problem
     * @throws BackendUnavailableException if no preferred backend qualifies and no CPU backend is
     *         registered; the message lists each kind and why it was skipped
     */
    CompiledModule compile(ModuleSource source, List<BackendKind> preferred);

    /** Compiles with the configured preference order. */
    default CompiledModule compile(ModuleSource source) {
        return compile(source, List.of());
    }

    /**
     * What the backend of the given kind says about the module.
     *
     * @throws BackendUnavailableException if no backend of that kind is registered
     * @throws IllegalArgumentException if the module does not parse
     */
    SupportReport support(BackendKind kind, ModuleSource source);

    /**
     * Runs one function of a module compiled by this runtime; see the class comment for how the
     * stage completes. Never throws directly.
     */
    CompletionStage<ExecutionResult> execute(CompiledModule module, String function,
            List<Tensor> arguments, ExecutionOptions options);

    /**
     * Runs one function writing its results into preallocated buffers, as {@link
     * ComputeBackend#execute(CompiledModule, String, List, List)} describes (one entry per
     * result, {@code null} for a result returned as a tensor; the stage's results hold only
     * those). The buffers may be of any backend: a buffer of the backend that runs the module
     * (after any fallback) is written in place, another through {@link DeviceBuffer#write}.
     * Timeout, cancellation and backend loss as for {@link #execute(CompiledModule, String, List,
     * ExecutionOptions)}; after a failure the buffers' content is unspecified. Never throws
     * directly.
     *
     * <p>The default runs the four-argument form and writes the results into the buffers.
     *
     * @since 1.2
     */
    default CompletionStage<ExecutionResult> execute(CompiledModule module, String function,
            List<Tensor> arguments, List<DeviceBuffer> outputs, ExecutionOptions options) {
        try {
            module.requireFunction(function).checkOutputs(outputs);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<DeviceBuffer> outs = new ArrayList<>(outputs);
        return execute(module, function, arguments, options).thenApply(r -> Outputs.writeInto(r, outs, function));
    }

    /** Runs with {@link ExecutionOptions#DEFAULTS}. */
    default CompletionStage<ExecutionResult> execute(CompiledModule module, String function,
            List<Tensor> arguments) {
        return execute(module, function, arguments, ExecutionOptions.DEFAULTS);
    }

    /**
     * Runs with arguments given by parameter name (without {@code %}).
     * The stage fails with {@link IllegalArgumentException} naming a missing or unknown name.
     */
    default CompletionStage<ExecutionResult> execute(CompiledModule module, String function,
            Map<String, Tensor> arguments, ExecutionOptions options) {
        FunctionSignature f;
        try {
            f = module.requireFunction(function);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<Tensor> list = new ArrayList<>();
        for (FunctionSignature.Parameter p : f.parameters()) {
            Tensor t = arguments.get(p.name());
            if (t == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "missing argument %" + p.name() + " of @" + function));
            }
            list.add(t);
        }
        for (String name : arguments.keySet()) {
            if (f.parameters().stream().noneMatch(p -> p.name().equals(name))) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "@" + function + " has no parameter %" + name));
            }
        }
        return execute(module, function, list, options);
    }

    /** Drops one reference of a handle returned by {@link #compile}; same as {@code module.release()}. */
    default void release(CompiledModule module) {
        module.release();
    }

    /** Content hashes (with the backend, {@code CPU:ab12...}) of the modules in the cache. */
    Set<String> cachedModules();

    /**
     * What this runtime has done since it started: compiles, cache hits, fallbacks, executions by
     * backend. The default, for runtimes that keep none, is {@link RuntimeStats#NONE}.
     *
     * @since 1.1
     */
    default RuntimeStats stats() {
        return RuntimeStats.NONE;
    }
}
