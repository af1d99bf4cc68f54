package io.chronofabric.bridge.typedevent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the Typed Events bridge, PID {@value #PID} ({@code etc/io.chronofabric.bridge.typedevent.cfg}). */
@ObjectClassDefinition(id = TypedEventBridgeConfig.PID, name = "ChronoFabric Typed Events bridge",
        description = "Typed Events on topics become packets and packets on channels become Typed Events.")
public @interface TypedEventBridgeConfig {

    String PID = "io.chronofabric.bridge.typedevent";

    @AttributeDefinition(name = "Outbound channels", description = "Bus channels whose packets are delivered to the Typed Event bus "
        + "on <topic.prefix>/<channel>: names, or patterns ending in * (* = every channel but the dead-letter channel), "
        + "comma separated; empty = none.")
    String[] outbound_channels() default {};

    @AttributeDefinition(name = "Pattern refresh (ms)", description = "How often channel patterns are matched against the "
        + "channels the bus knows, 100..60000.")
    long outbound_pattern_refresh_ms() default 1000;

    @AttributeDefinition(name = "Topic prefix", description = "First level(s) of outbound topics, and the prefix stripped from "
        + "inbound topics to find a channel.")
    String topic_prefix() default "chronofabric";

    @AttributeDefinition(name = "Inbound topics", description = "Typed Event topics (or topic/* patterns, or *) whose events "
        + "become packets; empty = none.")
    String[] inbound_topics() default {};

    @AttributeDefinition(name = "Inbound delivery", description = "Delivery guarantee of packets made from Typed Events.",
        options = {@Option(label = "Best effort", value = "best-effort"), @Option(label = "Guaranteed", value = "guaranteed")})
    String inbound_delivery() default "best-effort";

    @AttributeDefinition(name = "Inbound retries", description = "Retries of guaranteed inbound packets, 0..255.")
    int inbound_retries() default 3;

    @AttributeDefinition(name = "Inbound source component", description = "Component id (0..63) the packets name as source.")
    int inbound_source_component() default 0;

    @AttributeDefinition(name = "Origin id", description = "Marker (key cf.origin) in the data of every event this bridge "
        + "delivers; such events are not bridged back. Empty = derived from the framework UUID.")
    String origin_id() default "";
}
