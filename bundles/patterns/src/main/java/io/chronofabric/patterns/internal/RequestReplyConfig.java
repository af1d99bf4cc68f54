package io.chronofabric.patterns.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ChronoFabric request/reply", description = "Requests over the bus and the Responder whiteboard.")
public @interface RequestReplyConfig {

    String PID = "io.chronofabric.patterns.requestreply";

    @AttributeDefinition(name = "Maximum pending requests",
            description = "Requests waiting for a reply at once; a request beyond it fails at once (ResourceExhaustedException). 1..1000000.")
    int max_pending() default 10_000;

    @AttributeDefinition(name = "Echo channel",
            description = "A built-in responder answers requests on this channel with their payload (a liveness check: csf:request chronofabric.echo hello). Empty = none.")
    String echo_channel() default "chronofabric.echo";
}
