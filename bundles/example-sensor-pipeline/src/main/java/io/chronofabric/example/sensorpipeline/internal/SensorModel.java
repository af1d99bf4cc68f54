package io.chronofabric.example.sensorpipeline.internal;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated sensors: Kuramoto-coupled phase oscillators (Kuramoto 1975; each phase is pulled
 * towards the others by {@code K/N sum sin(theta_j - theta_i)}, so with a coupling above the spread of
 * the natural frequencies they lock to their mean frequency), each read as
 * {@code level + amplitude sin(theta) + noise}. The noise and the initial phases come from one
 * seeded generator: the same settings give the same samples. One sensor's level may drift
 * linearly with simulated time. Not thread-safe: one timer thread steps it.
 */
final class SensorModel {

    private final SensorSettings s;
    private final int n;
    private final double[] omega;
    private final double[] theta;
    private final double[] pull;
    private final double[] values;
    private final int drifting;
    private final SplittableRandom random;
    private double seconds;
    private long steps;

    SensorModel(SensorSettings settings) {
        s = settings;
        n = settings.sensors().size();
        omega = new double[n];
        theta = new double[n];
        pull = new double[n];
        values = new double[n];
        random = new SplittableRandom(settings.seed());
        for (int i = 0; i < n; i++) {
            omega[i] = 2 * Math.PI * settings.frequencies()[i];
            theta[i] = 2 * Math.PI * random.nextDouble();
        }
        drifting = settings.sensors().indexOf(settings.driftSensor());
    }

    List<String> sensors() {
        return s.sensors();
    }

    /**
     * Advances the simulation by {@code dt} seconds (explicit Euler on the phases) and reads every
     * sensor; the returned array is reused by the next step.
     */
    double[] step(double dt) {
        double k = s.coupling() / n;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.sin(theta[j] - theta[i]);
            }
            pull[i] = k * sum;
        }
        seconds += dt;
        steps++;
        for (int i = 0; i < n; i++) {
            theta[i] = (theta[i] + dt * (omega[i] + pull[i])) % (2 * Math.PI);
            double level = i == drifting ? s.driftPerSecond() * seconds : 0;
            values[i] = level + s.amplitude() * Math.sin(theta[i]) + s.noise() * random.nextGaussian();
        }
        return values;
    }

    /** Simulated seconds since the start. */
    double seconds() {
        return seconds;
    }

    long steps() {
        return steps;
    }

    /** The phase of sensor {@code i} in [0, 2 pi) (tests). */
    double phase(int i) {
        double t = theta[i];
        return t < 0 ? t + 2 * Math.PI : t;
    }
}
