package io.chronofabric.compute.opencl.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the OpenCL backend, PID {@value #PID} ({@code etc/io.chronofabric.compute.opencl.cfg}). */
@ObjectClassDefinition(id = OpenClConfig.PID, name = "ChronoFabric OpenCL compute backend",
        description = "Which OpenCL platform and device the backend opens (JOCL 2.0.5).")
public @interface OpenClConfig {

    String PID = "io.chronofabric.compute.opencl";

    @AttributeDefinition(name = "Platform", description = "Part of the platform name to use (case-insensitive, e.g. 'Portable Computing Language' "
            + "or 'NVIDIA CUDA'); empty = the first platform with a matching device.")
    String platform() default "";

    @AttributeDefinition(name = "Device type", description = "ALL (a GPU if there is one, else the first device), GPU, CPU or ACCELERATOR.")
    String device_type() default "ALL";
}
