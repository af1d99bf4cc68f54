package io.chronofabric.compute.probe.cuda.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.compute.probe.common.Probe;
import io.chronofabric.compute.probe.common.ProbeBackend;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.LoggerFactory;

/** CUDA: the NVIDIA driver library libcuda.so.1 and /dev/nvidia* device nodes. */
@Component(service = ComputeBackend.class, immediate = true, property = ComputeBackend.KIND_PROPERTY + "=CUDA")
public final class CudaProbe extends ProbeBackend {

    private final Probe probe;

    public CudaProbe() {
        this(new Probe());
    }

    CudaProbe(Probe probe) {
        this.probe = probe;
    }

    @Activate
    void activate() {
        probe();
        LoggerFactory.getLogger(CudaProbe.class).info("{}", describe());
    }

    @Override
    public BackendKind kind() {
        return BackendKind.CUDA;
    }

    @Override
    protected Probe.Finding find() {
        String lib = probe.findLibrary(probe.libraryDirs("/usr/local/cuda/lib64", "/usr/lib/wsl/lib"), "libcuda.so.1");
        List<String> nodes = probe.list("/dev", "nvidia");
        if (lib == null && nodes.isEmpty()) {
            return new Probe.Finding("none", "no libcuda.so.1 and no /dev/nvidia* (no NVIDIA driver)");
        }
        if (lib == null) {
            return new Probe.Finding(String.join(", ", nodes), "no libcuda.so.1 (device nodes " + nodes + " but no driver library)");
        }
        if (nodes.isEmpty()) {
            return new Probe.Finding(lib, "no /dev/nvidia* (driver library " + lib + " but no device)");
        }
        return new Probe.Finding(lib + ", " + String.join(", ", nodes), "NVIDIA driver and device present (" + lib
                + "), but this build has no CUDA code generator: use the OpenCL backend with the NVIDIA OpenCL driver");
    }
}
