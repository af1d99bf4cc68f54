package io.chronofabric.example.sensorpipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PatternWatchTest {

    private final PatternWatch watch = new PatternWatch(Set.of("sensor.a", "sensor.b", "sensor.c"));

    private static PatternEvent event(PatternKind kind, List<String> streams, String detail, Object... values) {
        Map<String, Double> v = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i += 2) {
            v.put((String) values[i], (Double) values[i + 1]);
        }
        return new PatternEvent(kind, streams, v, 5, detail);
    }

    @Test
    void shouldIgnoreEventsAboutOtherStreams() {
        assertThat(watch.accept(event(PatternKind.RESONANCE, List.of("drpp.input"), "", PatternEvent.FREQUENCY, 0.1))).isFalse();
        assertThat(watch.counts()).isEmpty();
        assertThat(watch.recent()).isEmpty();
    }

    @Test
    void shouldCountKindsAndKeepTheResonanceFrequency() {
        watch.accept(event(PatternKind.RESONANCE, List.of("sensor.a"), "fft peak 1 of 1", PatternEvent.FREQUENCY, 0.05,
                PatternEvent.SNR, 300.0));
        watch.accept(event(PatternKind.COHERENCE, List.of("sensor.a", "sensor.b", "sensor.c"), "", PatternEvent.R, 0.97));
        watch.accept(event(PatternKind.INFORMATION_FLOW, List.of("other", "sensor.b"), "", PatternEvent.TE, 0.2));

        assertThat(watch.count(PatternKind.RESONANCE)).isEqualTo(1);
        assertThat(watch.count(PatternKind.COHERENCE)).isEqualTo(1);
        assertThat(watch.count(PatternKind.INFORMATION_FLOW)).isEqualTo(1);
        assertThat(watch.dominantFrequencies()).containsOnly(Map.entry("sensor.a", 0.05));
        assertThat(watch.recent().get(0)).isEqualTo("RESONANCE sensor.a frequency=0.05000 snr=300.0 (fft peak 1 of 1)");
        assertThat(watch.suspects()).isEmpty();
    }

    @Test
    void shouldMakeAChangedSensorSuspect() {
        watch.accept(event(PatternKind.CHANGEPOINT, List.of("sensor.c"), "cusum up", PatternEvent.INDEX, 812.0, PatternEvent.STATISTIC, 9.1));

        assertThat(watch.suspects()).containsOnly(Map.entry("sensor.c", "changepoint at sample 812 (cusum up)"));
    }

    @Test
    void shouldKeepOnlyTheLastEvents() {
        for (int i = 0; i < PatternWatch.KEPT + 5; i++) {
            watch.accept(event(PatternKind.MOTIF, List.of("sensor.b"), "", PatternEvent.INDEX, (double) i));
        }

        assertThat(watch.recent()).hasSize(PatternWatch.KEPT);
        assertThat(watch.recent().get(0)).contains("index=5.000");
        assertThat(watch.count(PatternKind.MOTIF)).isEqualTo(PatternWatch.KEPT + 5);
    }
}
