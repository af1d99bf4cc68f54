package io.chronofabric.scheduler.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the scheduler and the time oracle, PID {@value #PID} ({@code etc/io.chronofabric.scheduler.cfg}). */
@ObjectClassDefinition(id = SchedulerConfig.PID, name = "ChronoFabric scheduler",
        description = "Earliest-deadline-first scheduler and time oracle.")
public @interface SchedulerConfig {

    String PID = "io.chronofabric.scheduler";

    @AttributeDefinition(name = "Workers", description = "Worker threads, 1..256. Changes apply at once: extra workers stop after their current job.")
    int workers() default 2;

    @AttributeDefinition(name = "Utilisation bound", description = "Admission refuses a task that would push estimated utilisation per worker past this, (0, 1].")
    double utilisation_bound() default 0.9;

    @AttributeDefinition(name = "Miss policy", description = "A job that cannot start before its deadline: run it late or skip it.",
            options = {@Option(label = "Run late", value = "run-late"), @Option(label = "Skip", value = "skip")})
    String miss_policy() default "run-late";

    @AttributeDefinition(name = "Shutdown timeout (ms)", description = "How long a stopping scheduler waits for running jobs.")
    long shutdown_timeout_ms() default 5000;

    @AttributeDefinition(name = "Oracle interval (ms)", description = "How often the time oracle re-evaluates its hint, >= 10. Changes apply at once.")
    long oracle_interval_ms() default 1000;

    @AttributeDefinition(name = "Oracle window (intervals)", description = "The oracle judges deadline misses and bus latency over its last this many evaluations, 1..1000.")
    int oracle_window_intervals() default 5;

    @AttributeDefinition(name = "Health window (ms)", description = "Scheduler health and statistics judge misses and failures over this recent window, >= 1000.")
    long health_window_ms() default 60000;

    @AttributeDefinition(name = "Time re-base threshold (ms)", description = "When a new time source's reading differs from the scheduler's by more than this, pending jobs are shifted by the difference (they keep the time they had left); smaller differences keep absolute times. >= 0.")
    long time_rebase_threshold_ms() default 1000;

    @AttributeDefinition(name = "Oracle latency target (ns)", description = "Bus average latency above which the oracle asks for minimal latency.")
    long oracle_latency_target_ns() default 1000;

    @AttributeDefinition(name = "Release offset amplitude (ns)", description = "Peak periodic release offset of periodic tasks; 0 = none. Capped at a quarter of each task's period.")
    double offset_amplitude_ns() default 0;

    @AttributeDefinition(name = "Release offset frequency (Hz)")
    double offset_frequency_hz() default 1;
}
