package io.chronofabric.clogic.egc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Besides these keys, every key {@code spec.NAME} holds one specification (RTAMT's language). */
@ObjectClassDefinition(name = "ChronoFabric C-LOGIC EGC",
        description = "Emergent governance controller: STL specifications over bus signals, monitored online; violations and recoveries become GovernanceDecisions. Specs are keys spec.NAME = formula.")
public @interface EgcConfig {

    String PID = "io.chronofabric.clogic.egc";

    @AttributeDefinition(name = "Enabled", description = "false = subscribes to nothing, samples nothing, decides nothing.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Inputs", description = "Channels whose payloads become signals, comma separated: a Sample is signal <stream>, ModuleMetrics"
            + " signals <module>.<metric>, anything else signal <channel> through the extraction (CHANNEL=EXTRACTION).")
    String[] inputs() default {"egc.input"};

    @AttributeDefinition(name = "Signals", description = "Explicit bindings NAME:CHANNEL[=EXTRACTION] (number, sample, field:NAME, auto), comma separated.")
    String[] signals() default {};

    @AttributeDefinition(name = "Rules", description = "SPEC:violated=MODULE/ANALYSIS:ACTION[:VALUE] or SPEC:recovered=..., comma separated;"
            + " actions ENABLE, DISABLE, SET_RATE (value = rate factor > 0), ALERT (value = severity in [0,1], default |robustness|/(1+|robustness|))."
            + " A spec without a rule for an event sends */*:ALERT.")
    String[] rules() default {};

    @AttributeDefinition(name = "Period (ms)", description = "Sampling period of every spec: each tick feeds the latest value of each signal to the monitors, 1..3600000."
            + " Interval bounds with units are converted with it.")
    long period_ms() default 1000;

    @AttributeDefinition(name = "Output channel", description = "Where GovernanceDecisions are published.")
    String output_channel() default "egc.decisions";

    @AttributeDefinition(name = "Mining window", description = "Samples (ticks) of every signal kept for csf:egc-mine, 2..1000000.")
    int mining_window() default 600;

    @AttributeDefinition(name = "Mining margin", description = "csf:egc-mine moves the tightest threshold by this fraction of the signal's range into the satisfied side, >= 0.")
    double mining_margin() default 0.1;

    @AttributeDefinition(name = "Spec directory", description = "Every NAME.stl file in it is the spec NAME (rescanned every 5 s; a spec.NAME key wins);"
            + " empty = ${karaf.etc}/egc, '-' = none.")
    String spec_dir() default "";

    @AttributeDefinition(name = "Snapshot interval (s)", description = "How often the specs' state (violated, counts) is saved (also at stop), 1..86400.")
    long snapshot_interval_s() default 10;

    @AttributeDefinition(name = "State directory", description = "Where the snapshot is kept; empty = ${karaf.data}/chronofabric/clogic.egc.")
    String state_dir() default "";

    @AttributeDefinition(name = "Decisions kept", description = "How many recent decisions csf:egc-decisions shows, 1..100000.")
    int history_size() default 200;
}
