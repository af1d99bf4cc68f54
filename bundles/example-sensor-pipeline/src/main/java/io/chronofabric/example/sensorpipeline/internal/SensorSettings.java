package io.chronofabric.example.sensorpipeline.internal;

import io.chronofabric.api.bus.Channels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link SensorPipelineConfig}, checked. Immutable.
 *
 * @param frequencies Hz, one per sensor (the array is not changed after construction)
 */
record SensorSettings(boolean enabled, List<String> sensors, double[] frequencies, double rate, double amplitude, double noise,
        double coupling, long seed, String driftSensor, double driftPerSecond, String drppChannel, String egcChannel, String module,
        Set<String> watchedSpecs, double throttleFactor) {

    static final int MAX_SENSORS = 16;

    /**
     * @throws IllegalArgumentException naming the first key that is wrong and why
     */
    static SensorSettings of(SensorPipelineConfig c) {
        List<String> sensors = new ArrayList<>();
        for (String part : split(c.sensors())) {
            if (part.chars().anyMatch(Character::isWhitespace)) {
                throw bad("sensors", "name '" + part + "' holds whitespace");
            }
            if (sensors.contains(part)) {
                throw bad("sensors", "'" + part + "' is named twice");
            }
            sensors.add(part);
        }
        if (sensors.isEmpty() || sensors.size() > MAX_SENSORS) {
            throw bad("sensors", sensors.size() + " names; expected 1.." + MAX_SENSORS);
        }
        double rate = c.rate();
        if (!(rate >= 0.1 && rate <= 1000)) {
            throw bad("rate", rate + " is outside 0.1..1000 samples per second");
        }
        List<String> f = split(c.frequencies_hz());
        if (f.size() != sensors.size()) {
            throw bad("frequencies.hz", f.size() + " values for " + sensors.size() + " sensors " + sensors);
        }
        double[] frequencies = new double[f.size()];
        for (int i = 0; i < frequencies.length; i++) {
            try {
                frequencies[i] = Double.parseDouble(f.get(i));
            } catch (NumberFormatException e) {
                throw bad("frequencies.hz", "'" + f.get(i) + "' is not a number");
            }
            if (!(frequencies[i] > 0 && frequencies[i] < rate / 2)) {
                throw bad("frequencies.hz", frequencies[i] + " Hz of " + sensors.get(i) + " is not in (0, rate/2 = " + rate / 2 + ")");
            }
        }
        nonNegative("amplitude", c.amplitude());
        nonNegative("noise", c.noise());
        nonNegative("coupling", c.coupling());
        String drift = c.drift_sensor() == null ? "" : c.drift_sensor().trim();
        if (!drift.isEmpty() && !sensors.contains(drift)) {
            throw bad("drift.sensor", "'" + drift + "' is not one of the sensors " + sensors);
        }
        if (!Double.isFinite(c.drift_per_second())) {
            throw bad("drift.per.second", c.drift_per_second() + " is not a finite number");
        }
        String drpp = channel("drpp.channel", c.drpp_channel());
        String egc = channel("egc.channel", c.egc_channel());
        String module = c.module() == null ? "" : c.module().trim();
        if (module.isEmpty() || module.chars().anyMatch(Character::isWhitespace)) {
            throw bad("module", "'" + c.module() + "' must be a name without whitespace");
        }
        double factor = c.throttle_factor();
        if (!(factor > 0 && factor <= 1)) {
            throw bad("throttle.factor", factor + " is outside (0, 1]");
        }
        return new SensorSettings(c.enabled(), List.copyOf(sensors), frequencies, rate, c.amplitude(), c.noise(), c.coupling(), c.seed(),
                drift, c.drift_per_second(), drpp, egc, module, Set.copyOf(new LinkedHashSet<>(split(c.watched_specs()))), factor);
    }

    private static String channel(String key, String value) {
        String ch = value == null ? "" : value.trim();
        if (ch.isEmpty()) {
            return ch;
        }
        try {
            return Channels.requireValid(ch);
        } catch (IllegalArgumentException e) {
            throw bad(key, e.getMessage());
        }
    }

    private static void nonNegative(String key, double v) {
        if (!(v >= 0 && Double.isFinite(v))) {
            throw bad(key, v + " is not a finite number >= 0");
        }
    }

    /** Entries split at commas, trimmed, blanks dropped (a Karaf .cfg list arrives as one string). */
    static List<String> split(String[] entries) {
        List<String> out = new ArrayList<>();
        if (entries != null) {
            for (String e : entries) {
                if (e != null) {
                    for (String part : e.split(",")) {
                        if (!part.isBlank()) {
                            out.add(part.trim());
                        }
                    }
                }
            }
        }
        return out;
    }

    private static IllegalArgumentException bad(String key, String why) {
        return new IllegalArgumentException(SensorPipelineConfig.PID + ": " + key + " " + why);
    }
}
