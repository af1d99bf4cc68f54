package io.chronofabric.example.sensorpipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SensorModelTest {

    private static final double DT = 0.01;

    /** Samples of every sensor, [sensor][step]. */
    private static double[][] run(SensorModel m, int steps) {
        int n = m.sensors().size();
        double[][] out = new double[n][steps];
        for (int k = 0; k < steps; k++) {
            double[] v = m.step(DT);
            for (int i = 0; i < n; i++) {
                out[i][k] = v[i];
            }
        }
        return out;
    }

    /** Upward zero crossings per second over samples [from, to). */
    private static double frequency(double[] x, int from, int to) {
        int crossings = 0;
        for (int k = from + 1; k < to; k++) {
            if (x[k - 1] < 0 && x[k] >= 0) {
                crossings++;
            }
        }
        return crossings / ((to - from) * DT);
    }

    private static double mean(double[] x, int from, int to) {
        double sum = 0;
        for (int k = from; k < to; k++) {
            sum += x[k];
        }
        return sum / (to - from);
    }

    @Test
    void shouldGiveTheSameSamplesForTheSameSeedAndOthersForAnotherSeed() {
        double[][] a = run(new SensorModel(Configs.settings("seed", 7L)), 500);
        double[][] b = run(new SensorModel(Configs.settings("seed", 7L)), 500);
        double[][] c = run(new SensorModel(Configs.settings("seed", 8L)), 500);

        assertThat(a).isDeepEqualTo(b);
        assertThat(a[0]).isNotEqualTo(c[0]);
    }

    @Test
    void shouldLockCoupledSensorsToTheirMeanFrequency() {
        // natural frequencies 0.9, 1.0, 1.1 Hz; K = 2 rad/s locks them (Kuramoto) at the mean, 1.0 Hz
        double[][] x = run(new SensorModel(Configs.settings("rate", 100.0, "noise", 0.0, "coupling", 2.0)), 6000);

        for (double[] sensor : x) {
            assertThat(frequency(sensor, 2000, 6000)).isCloseTo(1.0, within(0.05));
        }
    }

    @Test
    void shouldKeepUncoupledSensorsAtTheirOwnFrequencies() {
        double[][] x = run(new SensorModel(Configs.settings("rate", 100.0, "noise", 0.0, "coupling", 0.0)), 6000);

        assertThat(frequency(x[0], 0, 6000)).isCloseTo(0.9, within(0.05));
        assertThat(frequency(x[1], 0, 6000)).isCloseTo(1.0, within(0.05));
        assertThat(frequency(x[2], 0, 6000)).isCloseTo(1.1, within(0.05));
    }

    @Test
    void shouldDriftTheConfiguredSensorOnly() {
        SensorModel m = new SensorModel(Configs.settings("rate", 100.0, "drift_sensor", "sensor.c", "drift_per_second", 0.5));
        double[][] x = run(m, 1000);

        assertThat(m.seconds()).isCloseTo(10.0, within(1e-9));
        // over the tenth second: the level 0.5 * 9.5 on average, the 1 Hz oscillation averaging out
        assertThat(mean(x[2], 900, 1000)).isCloseTo(4.75, within(0.25));
        assertThat(mean(x[0], 900, 1000)).isCloseTo(0.0, within(0.25));
        assertThat(mean(x[1], 900, 1000)).isCloseTo(0.0, within(0.25));
    }

    @Test
    void shouldAddGaussianNoiseOfTheConfiguredSpread() {
        double[][] x = run(new SensorModel(Configs.settings("rate", 100.0, "amplitude", 0.0, "noise", 0.1)), 10_000);

        double mean = mean(x[0], 0, 10_000);
        double var = 0;
        for (double v : x[0]) {
            var += (v - mean) * (v - mean);
        }
        assertThat(Math.sqrt(var / 10_000)).isCloseTo(0.1, within(0.005));
        assertThat(mean).isCloseTo(0.0, within(0.005));
    }
}
