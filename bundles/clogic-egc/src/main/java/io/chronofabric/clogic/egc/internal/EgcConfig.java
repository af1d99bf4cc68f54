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
            + " EGC applies two actions itself: bus/CHANNEL:THROTTLE:RATE[:BURST] (a bus channel's rate limit, packets/s; 0 lifts it) and"
            + " oracle/HINT:ORACLE_HINT[:SECONDS] (pins the time oracle's hint; * unpins), both undone when the spec recovers."
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

    @AttributeDefinition(name = "Arbitration", description = "weighted_majority: the rules (proposers) for the same event of a spec vote, the action with"
            + " the largest total weight is decided and a wrong one costs its voters a factor wm.beta (Littlestone & Warmuth 1994); all: every matching rule decides.")
    String arbitration() default "weighted_majority";

    @AttributeDefinition(name = "Weighted majority beta", description = "Weight factor of a proposer whose decided action was wrong, in (0, 1).")
    double wm_beta() default 0.5;

    @AttributeDefinition(name = "Outcome window", description = "Samples after a decision within which the spec must reach the state the decision was about"
            + " (recovered after a violation, still satisfied after a recovery); otherwise the decision was wrong. 1..1000000.")
    int outcome_window() default 10;

    @AttributeDefinition(name = "Hysteresis", description = "Robustness margin h >= 0 at neutral arousal: a spec is violated when robustness < -h and"
            + " recovers when robustness >= h. egc.modulation scales it by 2 (1 - activation): arousal 1 = 0, arousal -1 = 2h.")
    double hysteresis() default 0.0;

    @AttributeDefinition(name = "Modulation channel", description = "Where Modulation (EMS, linked from ems.modulation) arrives: arousal scales the hysteresis,"
            + " valence the ALERT severity (x (1 - valence/2)); '-' = ignore modulation.")
    String modulation_channel() default "egc.modulation";

    @AttributeDefinition(name = "Consensus", description = "auto: when a Consensus service is present (cluster feature) every decision is proposed to the"
            + " cluster's log and applied by every node when committed; off: decide locally.")
    String consensus() default "auto";

    @AttributeDefinition(name = "Decisions kept", description = "How many recent decisions csf:egc-decisions shows, 1..100000.")
    int history_size() default 200;
}
