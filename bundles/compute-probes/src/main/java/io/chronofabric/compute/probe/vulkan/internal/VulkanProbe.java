package io.chronofabric.compute.probe.vulkan.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.compute.probe.common.Probe;
import io.chronofabric.compute.probe.common.ProbeBackend;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.LoggerFactory;

/** Vulkan: the loader libvulkan.so.1 and at least one installable client driver (ICD) manifest. */
@Component(service = ComputeBackend.class, immediate = true, property = ComputeBackend.KIND_PROPERTY + "=VULKAN")
public final class VulkanProbe extends ProbeBackend {

    private final Probe probe;

    public VulkanProbe() {
        this(new Probe());
    }

    VulkanProbe(Probe probe) {
        this.probe = probe;
    }

    @Activate
    void activate() {
        probe();
        LoggerFactory.getLogger(VulkanProbe.class).info("{}", describe());
    }

    @Override
    public BackendKind kind() {
        return BackendKind.VULKAN;
    }

    @Override
    protected Probe.Finding find() {
        String lib = probe.findLibrary(probe.libraryDirs(), "libvulkan.so.1");
        List<String> icds = new ArrayList<>();
        for (String d : List.of("/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d")) {
            icds.addAll(probe.list(d, ""));
        }
        if (lib == null) {
            return new Probe.Finding("none", "no libvulkan.so.1 (no Vulkan loader)" + (icds.isEmpty() ? " and no ICD in /usr/share/vulkan/icd.d" : ""));
        }
        if (icds.isEmpty()) {
            return new Probe.Finding(lib, "no Vulkan ICD in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d (loader " + lib + " but no driver)");
        }
        return new Probe.Finding(lib + ", " + String.join(", ", icds), "Vulkan loader and drivers present (" + icds
                + "), but this build has no SPIR-V code generator");
    }
}
