package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchedulerSettingsTest {

    /** A typed configuration as SCR builds it from these raw values (defaults for the rest). */
    private static SchedulerConfig config(Map<String, Object> raw) {
        return (SchedulerConfig) Proxy.newProxyInstance(SchedulerSettingsTest.class.getClassLoader(), new Class<?>[] {SchedulerConfig.class},
                (p, m, a) -> {
                    Object v = raw.get(m.getName().replace('_', '.'));
                    return v != null ? v : m.getDefaultValue();
                });
    }

    private static SchedulerSettings from(Map<String, Object> raw) {
        return SchedulerSettings.from(config(raw), raw);
    }

    @Test
    void shouldReadTheWindowAndReBaseKeysWithDefaults() {
        SchedulerSettings d = from(Map.of());
        assertThat(d.oracleWindowIntervals()).isEqualTo(5);
        assertThat(d.healthWindowNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(60));
        assertThat(d.rebaseThresholdNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(d).isEqualTo(SchedulerSettings.DEFAULTS);
        SchedulerSettings s = from(Map.of("oracle.window.intervals", 10, "health.window.ms", 5000L, "time.rebase.threshold.ms", 0L));
        assertThat(s.oracleWindowIntervals()).isEqualTo(10);
        assertThat(s.healthWindowNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
        assertThat(s.rebaseThresholdNanos()).isZero();
    }

    @Test
    void shouldNameTheKeyOfABadWindowOrThreshold() {
        assertThatThrownBy(() -> from(Map.of("oracle.window.intervals", 0))).hasMessageContaining("oracle.window.intervals=0");
        assertThatThrownBy(() -> from(Map.of("health.window.ms", 10L))).hasMessageContaining("health.window.ms=10");
        assertThatThrownBy(() -> from(Map.of("time.rebase.threshold.ms", -1L))).hasMessageContaining("time.rebase.threshold.ms=-1");
    }
}
