package io.chronofabric.api.compute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A compute backend registered as an OSGi service. Thread-safe.
 *
 * <p><b>Roles.</b> A backend bundle (CPU, OpenCL, CUDA, ...) implements this interface; the
 * compute runtime ({@link MlirRuntime}, {@link HardwareAbstraction}) and tools call it. It is a
 * provider type: a minor version of this package may add methods. bnd therefore gives an
 * implementing bundle an import range of {@code [1.1,1.2)}, so it is rebuilt for each minor
 * version, while callers accept the whole major version ({@code [1.1,2)}).
 *
 * <p><b>Registration.</b> Register under this interface with the service property {@link
 * #KIND_PROPERTY} set to {@link #kind()}'s name. A backend whose device is missing still
 * registers, reports {@link #isAvailable()} false and says why in {@link #unavailableReason()}.
 * Among several backends of one kind the runtime uses the one with the highest {@code
 * service.ranking}.
 *
 * <p><b>Executions</b> are asynchronous. The stage returned by {@link #execute(CompiledModule,
 * String, List)} is a {@link java.util.concurrent.CompletableFuture} the backend owns: when a
 * caller completes or cancels it (the runtime does on timeout or cancellation) the backend stops
 * at its next op boundary. Device memory taken for an execution is released on every path
 * (success, failure, cancellation); {@link #liveAllocations()} lets tests check that.
 */
@ProviderType
public interface ComputeBackend {

    /**
     * Service property naming the kind ({@link BackendKind#name()}).
     *
     * @since 1.1
     */
    String KIND_PROPERTY = "compute.backend.kind";

    BackendKind kind();

    /** Whether the hardware and drivers it needs are present now. */
    boolean isAvailable();

    /**
     * Why it is unavailable, e.g. {@code "no libcuda.so.1"}; empty when available.
     *
     * @since 1.1
     */
    default Optional<String> unavailableReason() {
        return isAvailable() ? Optional.empty() : Optional.of(kind() + " backend reports unavailable");
    }

    /**
     * The device it runs on, e.g. {@code "AMD EPYC 9R14, 2 threads"}; the kind when unknown.
     *
     * @since 1.1
     */
    default String device() {
        return kind().name();
    }

    /**
     * The op names it can run, e.g. {@code arith.addf}, {@code linalg.matmul}; empty when
     * unavailable.
     *
     * @since 1.1
     */
    Set<String> supportedOps();

    /**
     * Which ops of a module this backend can run, without compiling it.
     *
     * @throws IllegalArgumentException if the source does not parse; the message names the line,
     *         column and what was expected
     * @since 1.1
     */
    SupportReport support(ModuleSource source);

    /**
     * @throws IllegalArgumentException if the source does not compile; the message names the
     *         line and the problem (an op this backend does not run is named with its position)
     * @throws IllegalStateException if the backend is not available
     */
    CompiledModule compile(ModuleSource source);

    /**
     * Executes one function of a module compiled by this backend.
     *
     * <p>The stage completes with the function's results, or exceptionally with {@link
     * IllegalArgumentException} naming the function, argument and mismatch (unknown function,
     * wrong count, element type or shape; a module of another backend), with {@link
     * IllegalStateException} for a released module or a stopped backend, or with {@link
     * java.util.concurrent.CancellationException} when cancelled. It never throws directly.
     *
     * @since 1.1
     */
    CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments);

    /**
     * Executes one function, writing results into preallocated buffers instead of returning new
     * tensors, so that repeated executions allocate no result storage.
     *
     * <p>{@code outputs} has one entry per result of the function: a buffer receives that result
     * from element 0 (its element type must match and it must hold the result's elements), {@code
     * null} returns the result as a tensor as {@link #execute(CompiledModule, String, List)}
     * does. The stage's {@link ExecutionResult#results()} holds only the results returned as
     * tensors, in order (empty when every result went into a buffer). A backend writes its own
     * buffers directly where it can (the CPU backend's kernels compute a matmul or elementwise
     * result in the buffer's heap array; OpenCL copies on the device); other buffers are written
     * with {@link DeviceBuffer#write}. The stage fails with {@link
     * IllegalArgumentException} for an output that does not fit ({@link
     * FunctionSignature#checkOutputs}) and otherwise as the three-argument form.
     *
     * <p>The default runs {@link #execute(CompiledModule, String, List)} and writes each result
     * into its buffer.
     *
     * @since 1.2
     */
    default CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments,
            List<DeviceBuffer> outputs) {
        try {
            module.requireFunction(function).checkOutputs(outputs);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        List<DeviceBuffer> outs = new ArrayList<>(outputs);
        return execute(module, function, arguments).thenApply(r -> Outputs.writeInto(r, outs, function));
    }

    /**
     * Executes a module's first function, inputs given by parameter name as f64 values
     * converted to each parameter's element type; outputs named {@code result0}, {@code
     * result1}, ... as doubles.
     *
     * @deprecated since 1.1: use {@link #execute(CompiledModule, String, List)} with tensors.
     */
    @Deprecated
    default CompletionStage<ComputeResult> execute(CompiledModule module, Map<String, double[]> inputs) {
        FunctionSignature f = module.functions().isEmpty() ? null : module.functions().get(0);
        if (f == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalArgumentException("module '" + module.name() + "' has no function"));
        }
        List<Tensor> args = new ArrayList<>();
        for (FunctionSignature.Parameter p : f.parameters()) {
            double[] v = inputs.get(p.name());
            if (v == null) {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalArgumentException(
                        "missing input '" + p.name() + "' of @" + f.name()));
            }
            int[] shape = p.type().isRanked() && p.type().isStatic() ? p.type().shape() : new int[] {v.length};
            try {
                args.add(Tensor.of(p.type().elementType(), shape, v));
            } catch (IllegalArgumentException e) {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalArgumentException(
                        "input '" + p.name() + "' of @" + f.name() + ": " + e.getMessage(), e));
            }
        }
        return execute(module, f.name(), args).thenApply(r -> {
            Map<String, double[]> out = new HashMap<>();
            for (int i = 0; i < r.results().size(); i++) {
                out.put("result" + i, r.results().get(i).toDoubleArray());
            }
            return new ComputeResult(out, r.elapsedNanos());
        });
    }

    /**
     * Allocates a device buffer the caller releases.
     *
     * @throws UnsupportedOperationException if this backend has no device memory to hand out
     * @throws IllegalStateException if it is unavailable
     * @since 1.1
     */
    default DeviceBuffer allocate(ElementType type, int elements) {
        throw new UnsupportedOperationException(kind() + " backend does not allocate device buffers");
    }

    /**
     * Device allocations alive now (buffers handed out plus any an execution holds), for leak
     * checks.
     *
     * @since 1.1
     */
    default int liveAllocations() {
        return 0;
    }
}
