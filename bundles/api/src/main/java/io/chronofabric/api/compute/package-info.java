/**
 * Compute: MLIR modules compiled and run on hardware backends (the seed's MLIR runtime and
 * hardware abstraction).
 *
 * <p><b>Values.</b> {@link io.chronofabric.api.compute.Tensor} (shape, {@link
 * io.chronofabric.api.compute.ElementType}, flat row-major primitive storage) is immutable, as
 * are {@link io.chronofabric.api.compute.TensorType}, {@link
 * io.chronofabric.api.compute.FunctionSignature}, {@link
 * io.chronofabric.api.compute.SupportReport}, {@link
 * io.chronofabric.api.compute.ExecutionResult} and the other records.
 *
 * <p><b>Roles.</b> A backend bundle provides {@link io.chronofabric.api.compute.ComputeBackend}
 * (and its {@link io.chronofabric.api.compute.CompiledModule}s and {@link
 * io.chronofabric.api.compute.DeviceBuffer}s); the runtime bundle provides {@link
 * io.chronofabric.api.compute.MlirRuntime}, {@link
 * io.chronofabric.api.compute.HardwareAbstraction} and {@link
 * io.chronofabric.api.compute.ComputeFunction} services. All interfaces are provider types: a
 * minor version may add methods to them, so providers import {@code [1.2,1.3)} and consumers
 * {@code [1.2,2)}.
 *
 * <p><b>Errors</b> name what was wrong: the op and its line:column, the function, the argument
 * and the dimension or element type that differs, the backend kind and why it is unavailable.
 *
 * <p>1.1 adds tensors, function signatures, support reports, the runtime and hardware services,
 * compute functions, device buffers and {@link io.chronofabric.api.compute.BackendKind#OPENCL};
 * it deprecates the {@code double[]}-based {@link io.chronofabric.api.compute.ComputeResult}.
 *
 * <p>1.2 adds executions into preallocated outputs ({@link
 * io.chronofabric.api.compute.ComputeBackend#execute(CompiledModule, String, java.util.List,
 * java.util.List)}, {@link io.chronofabric.api.compute.MlirRuntime#execute(CompiledModule,
 * String, java.util.List, java.util.List, ExecutionOptions)}) and zero-copy views of host-memory
 * {@link io.chronofabric.api.compute.DeviceBuffer}s ({@link
 * io.chronofabric.api.compute.DeviceBuffer#isHostMemory()}, {@code floatBuffer()} and its
 * double, int and long variants).
 */
@Export
@Version("1.2.0")
package io.chronofabric.api.compute;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
