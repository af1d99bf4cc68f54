package io.chronofabric.consensus.aeron.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = ConsensusConfig.PID, name = "ChronoFabric consensus (Aeron Cluster)",
        description = "Static membership and timeouts of this node of the Aeron Cluster (Raft) consensus.")
public @interface ConsensusConfig {

    String PID = "io.chronofabric.consensus";

    @AttributeDefinition(name = "Node id", description = "This node's member id: one of the ids in members.")
    int node_id() default 0;

    @AttributeDefinition(name = "Members", description = "Every member as id=host:basePort, comma separated. Each member "
            + "uses five UDP ports from its base: ingress, consensus, log, catch-up, archive control.")
    String members() default "0=127.0.0.1:9010";

    @AttributeDefinition(name = "Directory", description = "Root of the node's files (node-<id>/driver, archive, cluster); "
            + "empty = ${karaf.data}/chronofabric/consensus.")
    String dir() default "";

    @AttributeDefinition(name = "Aeron directory", description = "The media driver's directory; empty = <dir>/node-<id>/driver.")
    String aeron_dir() default "";

    @AttributeDefinition(name = "Proposal timeout (ms)", description = "A proposal not committed within it fails, naming the quorum.")
    long proposal_timeout_ms() default 5_000;

    @AttributeDefinition(name = "Election timeout (ms)")
    long election_timeout_ms() default 1_000;

    @AttributeDefinition(name = "Leader heartbeat timeout (ms)", description = "A leader silent this long is replaced.")
    long heartbeat_timeout_ms() default 3_000;

    @AttributeDefinition(name = "Startup canvass timeout (ms)", description = "How long a starting node waits to see all "
            + "members before an election with a quorum.")
    long canvass_timeout_ms() default 10_000;

    @AttributeDefinition(name = "Session timeout (ms)", description = "Cluster client session timeout.")
    long session_timeout_ms() default 10_000;

    @AttributeDefinition(name = "Term length (bytes)", description = "Term buffer length of the log and publications: a power "
            + "of 2 from 65536; the largest value proposed is an eighth of it.")
    int term_length() default 1 << 20;

    @AttributeDefinition(name = "Snapshot interval", description = "Committed values between the snapshots the leader "
            + "requests; 0 = none.")
    long snapshot_interval() default 10_000;

    @AttributeDefinition(name = "Retained snapshots", description = "Snapshots each node keeps in its archive: the "
            + "cluster log's segments before the oldest of them are purged once every member has appended past it, "
            + "older snapshot recordings deleted; 0 = keep the whole log (it grows forever).")
    int retain_snapshots() default 2;

    @AttributeDefinition(name = "Archive segment length (bytes)", description = "Segment file length of the archive "
            + "recordings (power of 2, a multiple of term.length); the log is purged whole segments at a time; "
            + "0 = max(4 x term.length, 1 MiB).")
    int archive_segment_length() default 0;

    @AttributeDefinition(name = "Retained values", description = "Latest committed values kept in memory for learn() "
            + "(older ones are compacted in chunks of 4096); 0 = all.")
    int retain_values() default 100_000;

    @AttributeDefinition(name = "Max pending proposals", description = "Proposals waiting or in flight at most.")
    int max_pending() default 65_536;
}
