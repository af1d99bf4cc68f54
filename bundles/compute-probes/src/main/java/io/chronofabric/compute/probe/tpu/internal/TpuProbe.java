package io.chronofabric.compute.probe.tpu.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.compute.probe.common.Probe;
import io.chronofabric.compute.probe.common.ProbeBackend;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.LoggerFactory;

/** TPU: Cloud TPU device nodes (/dev/accel*, /dev/vfio/*) and libtpu.so. */
@Component(service = ComputeBackend.class, immediate = true, property = ComputeBackend.KIND_PROPERTY + "=TPU")
public final class TpuProbe extends ProbeBackend {

    private final Probe probe;

    public TpuProbe() {
        this(new Probe());
    }

    TpuProbe(Probe probe) {
        this.probe = probe;
    }

    @Activate
    void activate() {
        probe();
        LoggerFactory.getLogger(TpuProbe.class).info("{}", describe());
    }

    @Override
    public BackendKind kind() {
        return BackendKind.TPU;
    }

    @Override
    protected Probe.Finding find() {
        List<String> nodes = probe.list("/dev", "accel");
        String lib = probe.findLibrary(probe.libraryDirs("/usr/local/lib/python3/dist-packages/libtpu", "/lib/libtpu"), "libtpu.so");
        if (nodes.isEmpty()) {
            return new Probe.Finding(lib == null ? "none" : lib, "no /dev/accel* (no TPU device)" + (lib == null ? " and no libtpu.so" : ""));
        }
        if (lib == null) {
            return new Probe.Finding(String.join(", ", nodes), "no libtpu.so (device nodes " + nodes + " but no TPU runtime)");
        }
        return new Probe.Finding(lib + ", " + String.join(", ", nodes), "TPU device and libtpu present, but this build has no XLA/StableHLO lowering");
    }
}
