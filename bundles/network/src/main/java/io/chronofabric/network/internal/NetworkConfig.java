package io.chronofabric.network.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(id = NetworkConfig.PID, name = "ChronoFabric network (the bus across nodes)",
        description = "Bus channels bridged between nodes over Aeron publications (UDP, or IPC through a shared media driver).")
public @interface NetworkConfig {

    String PID = "io.chronofabric.network";

    @AttributeDefinition(name = "Node id", description = "This node's id: one of the ids in nodes.")
    int node_id() default 0;

    @AttributeDefinition(name = "Nodes", description = "Every node as id=host:port (one UDP port each), comma separated.")
    String nodes() default "0=127.0.0.1:9110";

    @AttributeDefinition(name = "Channels", description = "Bus channels bridged to the other nodes, comma separated; empty = none.")
    String channels() default "";

    @AttributeDefinition(name = "Directory", description = "udp: this node's own media driver directory; empty = ${karaf.data}/chronofabric/network. "
            + "(ipc uses aeron.dir.)")
    String dir() default "";

    @AttributeDefinition(name = "Transport", description = "udp: every node has a UDP endpoint (nodes = id=host:port) and a media "
            + "driver of its own in dir; ipc: the nodes of one machine share one media driver in aeron.dir (nodes = id=ipc or just ids).",
            options = {@Option(label = "UDP (between hosts, or loopback)", value = "udp"),
                @Option(label = "IPC (nodes of one machine, one shared media driver)", value = "ipc")})
    String transport() default "udp";

    @AttributeDefinition(name = "Aeron directory (ipc)", description = "The shared media driver's directory (ipc); the same on "
            + "every node of the machine. Empty = /dev/shm/chronofabric-network (java.io.tmpdir where /dev/shm is missing).")
    String aeron_dir() default "";

    @AttributeDefinition(name = "Driver (ipc)", description = "auto: connect to the driver active in aeron.dir, launch one if none is; "
            + "embedded: launch it here (refused if one is active there); external: only connect (aeronmd or another node runs it).",
            options = {@Option(label = "auto", value = "auto"), @Option(label = "embedded", value = "embedded"),
                @Option(label = "external", value = "external")})
    String driver() default "auto";

    @AttributeDefinition(name = "Driver timeout (ms)", description = "How long the Aeron client waits for its driver's heartbeat: "
            + "at start (no driver: the node does not start, naming the directory) and after (the driver died: the node reports "
            + "DOWN and refuses to send).")
    long driver_timeout_ms() default 10_000;

    @AttributeDefinition(name = "Driver recovery (ms)", description = "ipc: when the shared driver is gone (its process stopped), "
            + "the node restarts itself every this many ms until it runs again (driver = auto: the first node to restart launches "
            + "a new driver); 0 = stay down until restarted by hand.")
    long driver_recover_ms() default 2_000;

    @AttributeDefinition(name = "IPC stream base", description = "ipc: node n receives on stream base + n (the other nodes "
            + "publish to it there); two clusters sharing one aeron.dir need bases further apart than their largest node id.")
    int ipc_stream_base() default 1500;

    @AttributeDefinition(name = "Term length (bytes)", description = "Power of 2 from 65536.")
    int term_length() default 1 << 20;

    @AttributeDefinition(name = "Retransmit (ms)", description = "A guaranteed packet not acknowledged within it is sent again.")
    long retransmit_ms() default 200;

    @AttributeDefinition(name = "Unreachable bound (ms)", description = "A guaranteed packet a node has not acknowledged "
            + "within it goes to the bus's dead-letter log with the reason; receivers refuse its frames first sent longer than "
            + "this minus the HLC's max offset ago, so it is never delivered after it was declared dead. Larger than twice the max offset.")
    long unreachable_ms() default 5_000;

    @AttributeDefinition(name = "Send queue", description = "Guaranteed packets waiting for the network agent to track "
            + "their acknowledgements, at most (packets are sent on the publishing thread; when it is full, publishing fails).")
    int max_queued() default 65_536;

    @AttributeDefinition(name = "Max payload (bytes)", description = "The largest encoded payload sent (a larger one is refused "
            + "at publish, naming its size and this limit) or received (refused, and a guaranteed one dead-lettered by its sender "
            + "with this node's reason). Payloads over Aeron's max message (term.length / 8) cross in chunks. 1..1073741824.")
    int max_payload_bytes() default 16 << 20;

    @AttributeDefinition(name = "Max reassembly (bytes)", description = "Partial chunked messages held on receive at most, "
            + "all senders together; a message that does not fit is refused (a guaranteed one is dead-lettered by its sender "
            + "naming this limit). At least max.payload.bytes. A partial message whose next chunk has not come within "
            + "unreachable.ms is dropped and counted.")
    long max_reassembly_bytes() default 64L << 20;

    @AttributeDefinition(name = "Component id", description = "Source component id (0..63) of packets republished from "
            + "other nodes; packets from it are never sent back out.")
    int component_id() default 63;
}
