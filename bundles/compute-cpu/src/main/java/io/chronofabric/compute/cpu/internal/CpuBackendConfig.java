package io.chronofabric.compute.cpu.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = CpuBackendConfig.PID, name = "ChronoFabric compute CPU backend",
        description = "Runs the MLIR subset on the CPU: an interpreter with fused linalg.generic loops and a Vector API sgemm.")
public @interface CpuBackendConfig {

    String PID = "io.chronofabric.compute.cpu";

    @AttributeDefinition(name = "Threads", description = "Threads one large op (matmul, linalg.generic over 2^16+ elements) is split over; 0 = one per core.")
    int threads() default 0;

    @AttributeDefinition(name = "Vector API", description = "Use the jdk.incubator.vector sgemm kernel when the JVM has the module (--add-modules jdk.incubator.vector and the package exported to bundles); false = the scalar kernel.")
    boolean vector() default true;

    @AttributeDefinition(name = "Inline up to (elements)", description = "Executions whose arguments and results hold at most this many elements in all run on the caller's thread (no hand-off: microseconds); larger ones on the backend's executor.")
    int inline_max_elements() default 16384;

    @AttributeDefinition(name = "Concurrent executions", description = "Executor threads running large executions at the same time (each may use 'threads' threads for one op).")
    int executions() default 2;
}
