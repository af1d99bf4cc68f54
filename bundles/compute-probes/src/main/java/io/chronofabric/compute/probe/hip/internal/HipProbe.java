package io.chronofabric.compute.probe.hip.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.compute.probe.common.Probe;
import io.chronofabric.compute.probe.common.ProbeBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.LoggerFactory;

/** HIP (AMD ROCm): the kernel driver's /dev/kfd and libamdhip64.so. */
@Component(service = ComputeBackend.class, immediate = true, property = ComputeBackend.KIND_PROPERTY + "=HIP")
public final class HipProbe extends ProbeBackend {

    private final Probe probe;

    public HipProbe() {
        this(new Probe());
    }

    HipProbe(Probe probe) {
        this.probe = probe;
    }

    @Activate
    void activate() {
        probe();
        LoggerFactory.getLogger(HipProbe.class).info("{}", describe());
    }

    @Override
    public BackendKind kind() {
        return BackendKind.HIP;
    }

    @Override
    protected Probe.Finding find() {
        boolean kfd = probe.exists("/dev/kfd");
        String lib = probe.findLibrary(probe.libraryDirs("/opt/rocm/lib"), "libamdhip64.so", "libamdhip64.so.6", "libamdhip64.so.5");
        if (!kfd) {
            return new Probe.Finding(lib == null ? "none" : lib, "no /dev/kfd (no AMD ROCm kernel driver)"
                    + (lib == null ? " and no libamdhip64.so" : ""));
        }
        if (lib == null) {
            return new Probe.Finding("/dev/kfd", "no libamdhip64.so (/dev/kfd present but no HIP runtime)");
        }
        return new Probe.Finding("/dev/kfd, " + lib, "ROCm driver and HIP runtime present (" + lib
                + "), but this build has no HIP code generator: use the OpenCL backend with ROCm's OpenCL driver");
    }
}
