package io.chronofabric.compute.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the compute runtime, PID {@value #PID} ({@code etc/io.chronofabric.compute.cfg}). */
@ObjectClassDefinition(id = ComputeConfig.PID, name = "ChronoFabric compute runtime",
        description = "Selection of compute backends, execution timeouts and what happens when a backend goes away.")
public @interface ComputeConfig {

    String PID = "io.chronofabric.compute";

    @AttributeDefinition(name = "Preferred backends", description = "Backend kinds tried in order when a caller names none "
            + "(CPU, OPENCL, CUDA, HIP, VULKAN, WEBGPU, TPU, FPGA, comma separated); the CPU is always the last resort.")
    String preferred_backends() default "CPU";

    @AttributeDefinition(name = "Execution timeout (ms)", description = "How long an execution may take when the caller gives no timeout; 1..86400000.")
    long execution_timeout_ms() default 30_000;

    @AttributeDefinition(name = "Fall back on backend loss", description = "When the backend that compiled a module has gone away: "
            + "true = compile it again on the next available preferred backend and run it there; false = fail naming the backend.")
    boolean fallback_on_backend_loss() default true;
}
