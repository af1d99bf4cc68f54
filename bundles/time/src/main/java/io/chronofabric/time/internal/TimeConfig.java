package io.chronofabric.time.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the time bundle, PID {@value #PID} ({@code etc/io.chronofabric.time.cfg}).
 * Every component of the bundle reads the keys it owns; a bad value is refused with a log line
 * naming the key and the value, and that component keeps its last good setting.
 */
@ObjectClassDefinition(id = TimeConfig.PID, name = "ChronoFabric time",
        description = "Time source selection and Hybrid Logical Clock settings.")
public @interface TimeConfig {

    String PID = "io.chronofabric.time";

    @AttributeDefinition(name = "Time source", description = "Which TimeSource is active.",
            options = {@Option(label = "System (monotonic, follows the wall clock)", value = "system"),
                @Option(label = "Simulated (moves only when told)", value = "simulated")})
    String source() default "system";

    @AttributeDefinition(name = "Node id", description = "This node's id in HLC timestamps and message ids, 0 to 65535.")
    int node_id() default 0;

    @AttributeDefinition(name = "Maximum offset (ms)",
            description = "A remote HLC timestamp further ahead of local time than this is refused.")
    long max_offset_ms() default 500;

    @AttributeDefinition(name = "Simulated start (ns)",
            description = "Initial reading of the simulated source, ns since the epoch; 0 = the wall clock at activation.")
    long simulated_start_ns() default 0;

    @AttributeDefinition(name = "Quantum offset amplitude (ns)", description = "Peak of the periodic release offset; 0 = none.")
    double quantum_amplitude_ns() default 0;

    @AttributeDefinition(name = "Quantum offset frequency (Hz)")
    double quantum_frequency_hz() default 0;

    @AttributeDefinition(name = "Quantum offset phase (rad)")
    double quantum_phase_rad() default 0;

    @AttributeDefinition(name = "State directory",
            description = "Where the HLC high-water mark is kept; empty = ${karaf.data}/chronofabric/time, else the bundle's data area.")
    String state_dir() default "";

    @AttributeDefinition(name = "HLC persist interval (ms)",
            description = "Bounds the lead of the HLC crash ceiling: it is kept max(20 ms, min(4 x this, max.offset.ms / 4)) "
                    + "ahead of the clock and rewritten every half lead while the clock advances, 10..60000.")
    long persist_interval_ms() default 1000;

    @AttributeDefinition(name = "Discipline interval (ms)",
            description = "System source: how often it compares itself with the wall clock and sets its rate, 10..10000.")
    long discipline_interval_ms() default 250;

    @AttributeDefinition(name = "Maximum slew (ppm)",
            description = "System source: the largest rate change, on top of the measured frequency error, used to remove "
                    + "an offset from the wall clock, 1..100000 (1000 ppm = 1 ms per second). A wall clock set back is "
                    + "absorbed by running this much slower.")
    long slew_max_ppm() default 1000;

    @AttributeDefinition(name = "Step threshold (ms)",
            description = "System source: a forward offset from the wall clock larger than this is stepped (jumped); "
                    + "smaller ones and every backward offset are slewed. 0 = never step.")
    long step_threshold_ms() default 128;
}
