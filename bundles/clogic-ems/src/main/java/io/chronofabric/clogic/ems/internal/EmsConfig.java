package io.chronofabric.clogic.ems.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ChronoFabric C-LOGIC EMS",
        description = "Emotional modelling system: GAMYGDALA appraisal, ALMA mood, emotion contagion; publishes Modulation on the bus.")
public @interface EmsConfig {

    String PID = "io.chronofabric.clogic.ems";

    @AttributeDefinition(name = "Enabled", description = "false = subscribes to nothing and publishes nothing (the state is kept).")
    boolean enabled() default true;

    @AttributeDefinition(name = "Agents", description = "Agents NAME=O/C/E/A/N (Big Five in [-1, 1], giving the default mood), comma separated; 'self' is always there.")
    String[] agents() default {"self=0/0/0/0/0"};

    @AttributeDefinition(name = "Goals", description = "Goals [AGENT:]GOAL=LIKELIHOOD (starting likelihood in [0, 1]; agent self when omitted), comma separated. Events for other goals are refused.")
    String[] goals() default {"task=0, stability=0.5, deadlines=0.9, governance=0.5"};

    @AttributeDefinition(name = "Relations", description = "FROM>TO=LIKE (how much FROM likes TO, [-1, 1]) for the social emotions, comma separated.")
    String[] relations() default {};

    @AttributeDefinition(name = "Inputs", description = "Channels whose AppraisalEvent payloads are appraised, comma separated; empty = none.")
    String[] inputs() default {"ems.input"};

    @AttributeDefinition(name = "Signals",
            description = "Packets of other modules as events: CHANNEL[/KIND]=GOAL:UTILITY:DELTA[:EXTRACTION], comma separated. KIND filters on the"
                    + " PatternEvent kind, GovernanceDecision action or payload class name; with EXTRACTION (number, sample, field:NAME, auto)"
                    + " the likelihood change is DELTA times the payload's number.")
    String[] signals() default {"drpp.patterns/DISCORD=stability:1:-0.1, drpp.patterns/CHANGEPOINT=stability:1:-0.05, drpp.patterns/COHERENCE=stability:1:0.05"};

    @AttributeDefinition(name = "Governance channel", description = "Where GovernanceDecisions for EMS arrive (DISABLE/ENABLE appraisal, SET_RATE of publishing, ALERT); empty = none.")
    String governance_channel() default "ems.governance";

    @AttributeDefinition(name = "Governance goal", description = "Goal an ALERT is appraised against (utility 1, change governance.alert.delta x severity); empty = none.")
    String governance_goal() default "governance";

    @AttributeDefinition(name = "Governance alert change", description = "Likelihood change of the governance goal per unit of alert severity, [-1, 1].")
    double governance_alert_delta() default -0.2;

    @AttributeDefinition(name = "Deadline goal", description = "Goal that new deadline misses of the DeadlineScheduler lower; empty = not watched.")
    String deadline_goal() default "deadlines";

    @AttributeDefinition(name = "Deadline change per miss", description = "Likelihood change of the deadline goal per new miss, [-1, 1].")
    double deadline_delta_per_miss() default -0.05;

    @AttributeDefinition(name = "Output channel", description = "Where Modulation is published.")
    String output_channel() default "ems.modulation";

    @AttributeDefinition(name = "Modulation PAD", description = "mood (ALMA mood) or emotion (GAMYGDALA PAD state of the active emotions).")
    String modulation_pad() default "mood";

    @AttributeDefinition(name = "Decay factor", description = "Fraction of an emotion's intensity left after one second, (0, 1].")
    double decay_factor() default 0.8;

    @AttributeDefinition(name = "Gain", description = "Gain of the limiter gI/(gI+1) on reported intensities, (0, 20].")
    double gain() default 1.0;

    @AttributeDefinition(name = "Minimum intensity", description = "Emotions that decay below this are dropped, [0, 0.5).")
    double min_intensity() default 0.001;

    @AttributeDefinition(name = "PAD table", description = "gamygdala (GAMYGDALA's emotion-to-PAD table) or alma (Gebhard 2005).")
    String pad_table() default "gamygdala";

    @AttributeDefinition(name = "Mood rate", description = "PAD units per second the mood moves at emotion intensity 1, [0, 10].")
    double mood_rate() default 0.1;

    @AttributeDefinition(name = "Mood return (s)", description = "Time constant of the mood's return to the default mood without emotions.")
    double mood_return_seconds() default 400;

    @AttributeDefinition(name = "Contagion", description = "Whether emotions spread between agents (Bosse et al.).")
    boolean contagion_enabled() default true;

    @AttributeDefinition(name = "Contagion expressiveness", description = "epsilon of every sender, [0, 1].")
    double contagion_expressiveness() default 0.5;

    @AttributeDefinition(name = "Contagion channel", description = "alpha of every channel, [0, 1].")
    double contagion_channel() default 1.0;

    @AttributeDefinition(name = "Contagion openness", description = "delta of every receiver, [0, 1].")
    double contagion_openness() default 0.5;

    @AttributeDefinition(name = "Contagion amplification", description = "eta: weight of the amplifying/absorbing term, [0, 1].")
    double contagion_amplification() default 0.5;

    @AttributeDefinition(name = "Contagion bias", description = "beta: 1 = upward, 0 = downward, [0, 1].")
    double contagion_bias() default 0.5;

    @AttributeDefinition(name = "Tick (ms)", description = "How often the model advances, deadline misses are read and modulation may be published, 10..60000.")
    long tick_interval_ms() default 200;

    @AttributeDefinition(name = "Publish interval (ms)", description = "Modulation is published after every appraisal (at the next tick) and at this interval while affect is active, 10..3600000.")
    long publish_interval_ms() default 1000;

    @AttributeDefinition(name = "Snapshot interval (s)", description = "How often the state is saved (also at stop), 1..86400.")
    long snapshot_interval_s() default 10;

    @AttributeDefinition(name = "State directory", description = "Where the snapshot is kept; empty = ${karaf.data}/chronofabric/clogic.ems.")
    String state_dir() default "";
}
