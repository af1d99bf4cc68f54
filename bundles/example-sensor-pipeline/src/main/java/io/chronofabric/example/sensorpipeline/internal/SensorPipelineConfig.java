package io.chronofabric.example.sensorpipeline.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ChronoFabric example: sensor pipeline",
        description = "Simulated coupled oscillating sensors published as C-LOGIC Samples for DRPP and EGC; slows down while EGC alerts.")
public @interface SensorPipelineConfig {

    String PID = "io.chronofabric.example.sensorpipeline";

    @AttributeDefinition(description = "false = publishes nothing (still answers status requests)")
    boolean enabled() default true;

    @AttributeDefinition(description = "Sensor (stream) names, comma separated, 1..16, no whitespace")
    String[] sensors() default {"sensor.a", "sensor.b", "sensor.c"};

    @AttributeDefinition(name = "frequencies.hz", description = "Natural frequency of each sensor in Hz, one per sensor, comma separated, each in (0, rate/2)")
    String[] frequencies_hz() default {"0.9, 1.0, 1.1"};

    @AttributeDefinition(description = "Samples per second of each sensor, 0.1..1000 (before any slowdown)")
    double rate() default 20;

    @AttributeDefinition(description = "Amplitude of the oscillation, >= 0")
    double amplitude() default 1.0;

    @AttributeDefinition(description = "Standard deviation of the Gaussian noise added to each sample, >= 0")
    double noise() default 0.1;

    @AttributeDefinition(description = "Kuramoto coupling K of the sensors' phases in rad/s, >= 0 (large enough, they lock to their mean frequency)")
    double coupling() default 2.0;

    @AttributeDefinition(description = "Seed of the noise and of the initial phases: the same configuration gives the same samples")
    long seed() default 42;

    @AttributeDefinition(name = "drift.sensor", description = "The sensor whose level drifts (empty = none)")
    String drift_sensor() default "";

    @AttributeDefinition(name = "drift.per.second", description = "Level change of the drifting sensor per second of simulated time")
    double drift_per_second() default 0.0;

    @AttributeDefinition(name = "drpp.channel", description = "Where the samples are published for DRPP (DRPP's default input is drpp.input); empty = nowhere")
    String drpp_channel() default "drpp.input";

    @AttributeDefinition(name = "egc.channel", description = "Where the samples are also published for EGC (EGC's default input is egc.input); empty = nowhere")
    String egc_channel() default "egc.input";

    @AttributeDefinition(description = "The module name EGC decisions address to reach this example (SET_RATE sets the rate factor)")
    String module() default "sensorpipeline";

    @AttributeDefinition(name = "watched.specs", description = "EGC specs whose ALERT (to this module or to *) slows the sensors down; empty = any spec's alert")
    String[] watched_specs() default {"sensor_bounds"};

    @AttributeDefinition(name = "throttle.factor", description = "Rate factor while a watched spec is violated, (0, 1]")
    double throttle_factor() default 0.25;
}
