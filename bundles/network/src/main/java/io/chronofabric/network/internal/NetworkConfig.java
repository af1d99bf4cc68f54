package io.chronofabric.network.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = NetworkConfig.PID, name = "ChronoFabric network (the bus across nodes)",
        description = "Bus channels bridged between nodes over Aeron UDP publications.")
public @interface NetworkConfig {

    String PID = "io.chronofabric.network";

    @AttributeDefinition(name = "Node id", description = "This node's id: one of the ids in nodes.")
    int node_id() default 0;

    @AttributeDefinition(name = "Nodes", description = "Every node as id=host:port (one UDP port each), comma separated.")
    String nodes() default "0=127.0.0.1:9110";

    @AttributeDefinition(name = "Channels", description = "Bus channels bridged to the other nodes, comma separated; empty = none.")
    String channels() default "";

    @AttributeDefinition(name = "Directory", description = "The media driver's directory; empty = ${karaf.data}/chronofabric/network.")
    String dir() default "";

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

    @AttributeDefinition(name = "Component id", description = "Source component id (0..63) of packets republished from "
            + "other nodes; packets from it are never sent back out.")
    int component_id() default 63;
}
