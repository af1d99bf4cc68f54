package io.chronofabric.compute.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.compute.BackendKind;
import java.lang.annotation.Annotation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComputeConfigTest {

    private static ComputeConfig config(String preferred, long timeout, boolean fallback) {
        return new ComputeConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ComputeConfig.class;
            }

            @Override
            public String preferred_backends() {
                return preferred;
            }

            @Override
            public long execution_timeout_ms() {
                return timeout;
            }

            @Override
            public boolean fallback_on_backend_loss() {
                return fallback;
            }
        };
    }

    @Test
    void shouldReadKindsInOrderIgnoringCaseAndBlanks() {
        ComputeRuntime.Settings s = ComputeRuntime.settings(config(" opencl, ,CPU ", 500, false));
        assertThat(s.preferred()).containsExactly(BackendKind.OPENCL, BackendKind.CPU);
        assertThat(s.timeoutMs()).isEqualTo(500);
        assertThat(s.fallback()).isFalse();
    }

    @Test
    void shouldFallBackToDefaultsForAnUnknownKindOrATimeoutOutOfRange() {
        ComputeRuntime.Settings s = ComputeRuntime.settings(config("OPENCL,GPU", 0, true));
        assertThat(s.preferred()).isEqualTo(List.of(BackendKind.CPU));
        assertThat(s.timeoutMs()).isEqualTo(30_000);
    }
}
