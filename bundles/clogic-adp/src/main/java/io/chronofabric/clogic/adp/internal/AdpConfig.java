package io.chronofabric.clogic.adp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ChronoFabric C-LOGIC ADP",
        description = "Adaptive distributed processor: places work units on scheduler workers, its own threads, compute backends and WorkPlace services,"
                + " learning from latency and failures (UCB1, Thompson sampling, EXP3.S, power of d choices; LinUCB for units with features).")
public @interface AdpConfig {

    String PID = "io.chronofabric.clogic.adp";

    @AttributeDefinition(name = "Enabled", description = "false = submit refuses every unit and nothing is read or published.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Policy", description = "Bandit for units without features: ucb1, thompson, exp3 (EXP3.S: drifting loads), power-of-d (shortest queue of d sampled places).")
    String policy() default "ucb1";

    @AttributeDefinition(name = "Exploration", description = "Base exploration factor (scales the UCB bonus, EXP3's gamma, Thompson's posterior width, LinUCB's alpha), finite >= 0.")
    double exploration() default 1.0;

    @AttributeDefinition(name = "Arousal gain", description = "exploration x (1 + gain x (2 activation - 1)) from EMS modulation (activation 0.5 = neutral), >= 0.")
    double arousal_gain() default 1.0;

    @AttributeDefinition(name = "EXP3 gamma", description = "EXP3 exploration rate, (0, 1].")
    double exp3_gamma() default 0.1;

    @AttributeDefinition(name = "EXP3.S share", description = "EXP3.S weight sharing alpha, [0, 1); 0 = plain EXP3.")
    double exp3_share() default 0.001;

    @AttributeDefinition(name = "d", description = "Places sampled by power-of-d, 1..64.")
    int power_d() default 2;

    @AttributeDefinition(name = "LinUCB features", description = "Features every unit with features carries (LinUCB adds a constant 1: dimension = this + 1), 1..64.")
    int linucb_features() default 3;

    @AttributeDefinition(name = "LinUCB alpha", description = "LinUCB confidence width, finite >= 0.")
    double linucb_alpha() default 1.0;

    @AttributeDefinition(name = "Reward latency (ms)", description = "ref in reward = ref / (ref + latency): the latency that earns 0.5, > 0.")
    double reward_latency_ms() default 10.0;

    @AttributeDefinition(name = "Max in flight per place", description = "Units in flight at one place at most (governance SET_RATE v caps it at v x this), 1..1000000.")
    int place_max_inflight() default 64;

    @AttributeDefinition(name = "Local threads", description = "Threads of ADP's own place 'local', 0..256; 0 = no local place.")
    int local_threads() default 2;

    @AttributeDefinition(name = "Scheduler place", description = "Whether the DeadlineScheduler's workers are a place ('scheduler').")
    boolean scheduler_place() default true;

    @AttributeDefinition(name = "Scheduler deadline (ms)", description = "Deadline given to the scheduler for a unit without one, 1..3600000.")
    long scheduler_deadline_ms() default 1000;

    @AttributeDefinition(name = "Compute places", description = "Whether every available ComputeBackend is a place for compute units ('compute:KIND').")
    boolean compute_places() default true;

    @AttributeDefinition(name = "Change-point discount", description = "A CHANGEPOINT pattern on the input multiplies all evidence by this, (0, 1]; 1 = ignore.")
    double changepoint_discount() default 0.5;

    @AttributeDefinition(name = "Input channel", description = "DRPP patterns (context).")
    String input_channel() default "adp.input";

    @AttributeDefinition(name = "Governance channel", description = "GovernanceDecisions (constraints on places).")
    String governance_channel() default "adp.governance";

    @AttributeDefinition(name = "Modulation channel", description = "EMS Modulation (arousal raises exploration).")
    String modulation_channel() default "adp.modulation";

    @AttributeDefinition(name = "Metrics channel", description = "Where ModuleMetrics are published.")
    String metrics_channel() default "adp.metrics";

    @AttributeDefinition(name = "Metrics interval (ms)", description = "How often metrics are published, 10..3600000.")
    long metrics_interval_ms() default 1000;

    @AttributeDefinition(name = "Snapshot interval (s)", description = "How often the places' statistics are saved (also at stop), 1..86400.")
    long snapshot_interval_s() default 10;

    @AttributeDefinition(name = "State directory", description = "Where the snapshot is kept; empty = ${karaf.data}/chronofabric/clogic.adp.")
    String state_dir() default "";

    @AttributeDefinition(name = "Seed", description = "Seed of the randomised policies (Thompson, EXP3, power-of-d).")
    long seed() default 1;

    @AttributeDefinition(name = "Remote places", description = "Cluster nodes as places for compute units: comma separated name=channel (e.g. node1=adp.remote.1);"
            + " each becomes place remote:NAME, which sends the unit's compute call by request/reply on the channel. The channel and chronofabric.reply"
            + " must be bridged (etc/io.chronofabric.network.cfg channels). Empty = none.")
    String remote_places() default "";

    @AttributeDefinition(name = "Remote timeout (ms)", description = "Reply timeout of a remote compute unit without a deadline, 1..3600000.")
    long remote_timeout_ms() default 10000;

    @AttributeDefinition(name = "Remote node gone after", description = "Timeouts in a row after which a remote place's node counts as gone:"
            + " the place is unavailable (ADP avoids it) for remote.retry.ms, then probed by one unit at a time; 1..1000.")
    int remote_gone_after() default 3;

    @AttributeDefinition(name = "Remote retry (ms)", description = "How long a gone node's place stays unavailable before one probe unit, 1..3600000.")
    long remote_retry_ms() default 5000;

    @AttributeDefinition(name = "Remote responder channel", description = "Channel on which this node answers remote compute calls (runs them on a local"
            + " compute backend), e.g. adp.remote.1 on node 1; one channel per node, so that a request reaches only that node's responder. Empty = no responder.")
    String remote_responder_channel() default "";

    @AttributeDefinition(name = "Remote responder timeout (ms)", description = "How long the responder waits for a call without a deadline, 1..3600000.")
    long remote_responder_timeout_ms() default 30000;
}
