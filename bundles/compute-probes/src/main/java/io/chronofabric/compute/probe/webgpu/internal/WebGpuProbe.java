package io.chronofabric.compute.probe.webgpu.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.compute.probe.common.Probe;
import io.chronofabric.compute.probe.common.ProbeBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.LoggerFactory;

/** WebGPU: a native implementation (wgpu-native's libwgpu_native.so or Dawn's libwebgpu_dawn.so). */
@Component(service = ComputeBackend.class, immediate = true, property = ComputeBackend.KIND_PROPERTY + "=WEBGPU")
public final class WebGpuProbe extends ProbeBackend {

    private final Probe probe;

    public WebGpuProbe() {
        this(new Probe());
    }

    WebGpuProbe(Probe probe) {
        this.probe = probe;
    }

    @Activate
    void activate() {
        probe();
        LoggerFactory.getLogger(WebGpuProbe.class).info("{}", describe());
    }

    @Override
    public BackendKind kind() {
        return BackendKind.WEBGPU;
    }

    @Override
    protected Probe.Finding find() {
        String lib = probe.findLibrary(probe.libraryDirs(), "libwgpu_native.so", "libwebgpu_dawn.so", "libdawn.so");
        if (lib == null) {
            return new Probe.Finding("none", "no libwgpu_native.so or libwebgpu_dawn.so (no native WebGPU implementation)");
        }
        return new Probe.Finding(lib, "WebGPU implementation present (" + lib + "), but this build has no WGSL code generator");
    }
}
