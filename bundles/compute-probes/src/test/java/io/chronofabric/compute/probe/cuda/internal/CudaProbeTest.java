package io.chronofabric.compute.probe.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.compute.probe.common.Probe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaProbeTest {

    @TempDir
    Path root;

    @Test
    void shouldNameTheMissingDriverAndDevice() {
        CudaProbe p = new CudaProbe(new Probe(root));
        assertThat(p.isAvailable()).isFalse();
        assertThat(p.unavailableReason()).contains("no libcuda.so.1 and no /dev/nvidia* (no NVIDIA driver)");
        assertThatThrownBy(() -> p.compile(new ModuleSource("m", "mlir", "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("CUDA backend unavailable: no libcuda.so.1 and no /dev/nvidia* (no NVIDIA driver)");
        assertThat(p.execute(null, "main", List.of()).toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void shouldSayADeviceWithoutDriverLibraryIsNotEnough() throws Exception {
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/nvidia0"));
        CudaProbe p = new CudaProbe(new Probe(root));
        assertThat(p.unavailableReason()).contains("no libcuda.so.1 (device nodes [/dev/nvidia0] but no driver library)");
    }

    @Test
    void shouldStayUnavailableEvenWithDriverAndDeviceSayingWhy() throws Exception {
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/nvidia0"));
        Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
        Files.createFile(root.resolve("usr/lib/x86_64-linux-gnu/libcuda.so.1"));
        CudaProbe p = new CudaProbe(new Probe(root));
        assertThat(p.isAvailable()).isFalse();
        assertThat(p.device()).isEqualTo("/usr/lib/x86_64-linux-gnu/libcuda.so.1, /dev/nvidia0");
        assertThat(p.unavailableReason().orElseThrow()).startsWith("NVIDIA driver and device present")
                .contains("no CUDA code generator");
    }
}
