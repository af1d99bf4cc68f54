package io.chronofabric.scheduler.internal;

import io.chronofabric.api.scheduler.MissPolicy;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Validated scheduler settings; {@link #from} names the key and value of the first bad entry. */
record SchedulerSettings(int workers, double utilisationBound, MissPolicy missPolicy, long shutdownTimeoutNanos,
        long oracleIntervalNanos, long oracleLatencyTargetNanos, double offsetAmplitudeNanos, double offsetFrequencyHz,
        int oracleWindowIntervals, long healthWindowNanos, long rebaseThresholdNanos) {

    static final int DEFAULT_ORACLE_WINDOW = 5;
    static final long DEFAULT_HEALTH_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    static final long DEFAULT_REBASE_THRESHOLD_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final SchedulerSettings DEFAULTS = new SchedulerSettings(2, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(5),
            TimeUnit.SECONDS.toNanos(1), 1000, 0, 1);

    /** The settings with the defaults for the windows and the re-base threshold. */
    SchedulerSettings(int workers, double utilisationBound, MissPolicy missPolicy, long shutdownTimeoutNanos, long oracleIntervalNanos,
            long oracleLatencyTargetNanos, double offsetAmplitudeNanos, double offsetFrequencyHz) {
        this(workers, utilisationBound, missPolicy, shutdownTimeoutNanos, oracleIntervalNanos, oracleLatencyTargetNanos,
                offsetAmplitudeNanos, offsetFrequencyHz, DEFAULT_ORACLE_WINDOW, DEFAULT_HEALTH_WINDOW_NANOS, DEFAULT_REBASE_THRESHOLD_NANOS);
    }

    static SchedulerSettings from(SchedulerConfig c, Map<String, ?> raw) {
        int workers = read(raw, "workers", c::workers, "an integer");
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("workers=" + raw.get("workers") + " is out of range 1..256");
        }
        double bound = read(raw, "utilisation.bound", c::utilisation_bound, "a number");
        if (!(bound > 0 && bound <= 1)) {
            throw new IllegalArgumentException("utilisation.bound=" + raw.get("utilisation.bound") + " is outside (0, 1]");
        }
        MissPolicy policy = parsePolicy(read(raw, "miss.policy", c::miss_policy, "a string"));
        long shutdown = read(raw, "shutdown.timeout.ms", c::shutdown_timeout_ms, "an integer");
        long interval = read(raw, "oracle.interval.ms", c::oracle_interval_ms, "an integer");
        long target = read(raw, "oracle.latency.target.ns", c::oracle_latency_target_ns, "an integer");
        double amplitude = read(raw, "offset.amplitude.ns", c::offset_amplitude_ns, "a number");
        double frequency = read(raw, "offset.frequency.hz", c::offset_frequency_hz, "a number");
        int oracleWindow = read(raw, "oracle.window.intervals", c::oracle_window_intervals, "an integer");
        long healthWindow = read(raw, "health.window.ms", c::health_window_ms, "an integer");
        long rebase = read(raw, "time.rebase.threshold.ms", c::time_rebase_threshold_ms, "an integer");
        if (oracleWindow < 1 || oracleWindow > 1000) {
            throw new IllegalArgumentException("oracle.window.intervals=" + oracleWindow + " is out of range 1..1000");
        }
        if (healthWindow < 1000) {
            throw new IllegalArgumentException("health.window.ms=" + healthWindow + " is below 1000");
        }
        if (rebase < 0) {
            throw new IllegalArgumentException("time.rebase.threshold.ms=" + rebase + " is negative");
        }
        if (shutdown < 0) {
            throw new IllegalArgumentException("shutdown.timeout.ms=" + shutdown + " is negative");
        }
        if (interval < 10) {
            throw new IllegalArgumentException("oracle.interval.ms=" + interval + " is below 10");
        }
        if (target <= 0) {
            throw new IllegalArgumentException("oracle.latency.target.ns=" + target + " must be > 0");
        }
        if (!(amplitude >= 0) || Double.isInfinite(amplitude)) {
            throw new IllegalArgumentException("offset.amplitude.ns=" + raw.get("offset.amplitude.ns") + " must be a finite number >= 0");
        }
        if (!(frequency >= 0) || Double.isInfinite(frequency)) {
            throw new IllegalArgumentException("offset.frequency.hz=" + raw.get("offset.frequency.hz") + " must be a finite number >= 0");
        }
        return new SchedulerSettings(workers, bound, policy, TimeUnit.MILLISECONDS.toNanos(shutdown),
                TimeUnit.MILLISECONDS.toNanos(interval), target, amplitude, frequency, oracleWindow,
                TimeUnit.MILLISECONDS.toNanos(healthWindow), TimeUnit.MILLISECONDS.toNanos(rebase));
    }

    static MissPolicy parsePolicy(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "run-late" -> MissPolicy.RUN_LATE;
            case "skip" -> MissPolicy.SKIP;
            default -> throw new IllegalArgumentException("miss.policy=" + text + " is not run-late or skip");
        };
    }

    private static <T> T read(Map<String, ?> raw, String key, Supplier<T> typed, String expected) {
        try {
            return typed.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + "=" + raw.get(key) + " is not " + expected);
        }
    }
}
