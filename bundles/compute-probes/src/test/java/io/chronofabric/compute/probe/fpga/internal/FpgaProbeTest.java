package io.chronofabric.compute.probe.fpga.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.compute.probe.common.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FpgaProbeTest {

    @TempDir
    Path root;

    @Test
    void shouldIgnoreNonFpgaOpenClDriversAndSeeXdma() throws Exception {
        Files.createDirectories(root.resolve("etc/OpenCL/vendors"));
        Files.createFile(root.resolve("etc/OpenCL/vendors/pocl.icd"));
        assertThat(new FpgaProbe(new Probe(root)).unavailableReason().orElseThrow()).startsWith("no /dev/xdma*");
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/xdma0_user"));
        FpgaProbe p = new FpgaProbe(new Probe(root));
        assertThat(p.device()).isEqualTo("/dev/xdma0_user");
        assertThat(p.isAvailable()).isFalse();
    }
}
