package io.chronofabric.example.sensorpipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SensorSettingsTest {

    @Test
    void shouldReadTheDefaults() {
        SensorSettings s = Configs.settings();

        assertThat(s.sensors()).containsExactly("sensor.a", "sensor.b", "sensor.c");
        assertThat(s.frequencies()).containsExactly(0.9, 1.0, 1.1);
        assertThat(s.rate()).isEqualTo(20.0);
        assertThat(s.drppChannel()).isEqualTo("drpp.input");
        assertThat(s.egcChannel()).isEqualTo("egc.input");
        assertThat(s.watchedSpecs()).containsExactly("sensor_bounds");
        assertThat(s.driftSensor()).isEmpty();
    }

    @Test
    void shouldReadKarafListsGivenAsOneString() {
        SensorSettings s = Configs.settings("sensors", new String[] {"x, y"}, "frequencies_hz", new String[] {"2, 3"}, "egc_channel", "");

        assertThat(s.sensors()).containsExactly("x", "y");
        assertThat(s.frequencies()).containsExactly(2.0, 3.0);
        assertThat(s.egcChannel()).isEmpty();
    }

    @Test
    void shouldRefuseBadValuesNamingTheKey() {
        assertThatThrownBy(() -> Configs.settings("frequencies_hz", new String[] {"1, 2"}))
                .hasMessageContaining("frequencies.hz 2 values for 3 sensors");
        assertThatThrownBy(() -> Configs.settings("frequencies_hz", new String[] {"1, 2, 15"}))
                .hasMessageContaining("frequencies.hz 15.0 Hz of sensor.c is not in (0, rate/2 = 10.0)");
        assertThatThrownBy(() -> Configs.settings("rate", 0.0)).hasMessageContaining("rate 0.0 is outside 0.1..1000");
        assertThatThrownBy(() -> Configs.settings("drift_sensor", "sensor.z")).hasMessageContaining("drift.sensor 'sensor.z' is not one of");
        assertThatThrownBy(() -> Configs.settings("sensors", new String[] {"a b"}, "frequencies_hz", new String[] {"1"}))
                .hasMessageContaining("sensors name 'a b' holds whitespace");
        assertThatThrownBy(() -> Configs.settings("throttle_factor", 0.0)).hasMessageContaining("throttle.factor 0.0 is outside (0, 1]");
        assertThatThrownBy(() -> Configs.settings("drpp_channel", "bad channel")).hasMessageContaining("drpp.channel");
        assertThatThrownBy(() -> Configs.settings("noise", -1.0)).hasMessageContaining("noise -1.0");
    }
}
