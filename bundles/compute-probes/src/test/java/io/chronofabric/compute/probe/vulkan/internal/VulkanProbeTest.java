package io.chronofabric.compute.probe.vulkan.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.compute.probe.common.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VulkanProbeTest {

    @TempDir
    Path root;

    @Test
    void shouldNameTheMissingLoaderThenTheMissingIcd() throws Exception {
        assertThat(new VulkanProbe(new Probe(root)).unavailableReason())
                .contains("no libvulkan.so.1 (no Vulkan loader) and no ICD in /usr/share/vulkan/icd.d");
        Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
        Files.createFile(root.resolve("usr/lib/x86_64-linux-gnu/libvulkan.so.1"));
        assertThat(new VulkanProbe(new Probe(root)).unavailableReason().orElseThrow())
                .startsWith("no Vulkan ICD in /usr/share/vulkan/icd.d");
    }
}
