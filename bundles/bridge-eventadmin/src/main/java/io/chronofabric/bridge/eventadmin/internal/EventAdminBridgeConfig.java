package io.chronofabric.bridge.eventadmin.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the Event Admin bridge, PID {@value #PID} ({@code etc/io.chronofabric.bridge.eventadmin.cfg}). */
@ObjectClassDefinition(id = EventAdminBridgeConfig.PID, name = "ChronoFabric Event Admin bridge",
        description = "Packets on bus channels become OSGi Events and Events on topics become packets.")
public @interface EventAdminBridgeConfig {

    String PID = "io.chronofabric.bridge.eventadmin";

    @AttributeDefinition(name = "Outbound channels", description = "Bus channels whose packets are posted as Events on "
        + "<topic.prefix>/<channel>: names, or patterns ending in * (sensors.*; * = every channel but the dead-letter channel), "
        + "comma separated; empty = none.")
    String[] outbound_channels() default {};

    @AttributeDefinition(name = "Pattern refresh (ms)", description = "How often channel patterns are matched against the "
        + "channels the bus knows, 100..60000.")
    long outbound_pattern_refresh_ms() default 1000;

    @AttributeDefinition(name = "Topic prefix", description = "First level(s) of the topics of outbound Events, and the prefix "
        + "stripped from inbound topics to find a channel.")
    String topic_prefix() default "chronofabric";

    @AttributeDefinition(name = "Inbound topics", description = "Event Admin topics (or topic/* patterns) whose Events become "
        + "packets; empty = none.")
    String[] inbound_topics() default {"chronofabric/in/*"};

    @AttributeDefinition(name = "Inbound channel property", description = "Event property naming the target channel; "
        + "absent = the topic without the prefix, levels joined by dots (chronofabric/in/x -> in.x).")
    String inbound_channel_property() default "cf.channel";

    @AttributeDefinition(name = "Inbound delivery", description = "Delivery guarantee of packets made from Events.",
        options = {@Option(label = "Best effort (never blocks Event Admin)", value = "best-effort"),
            @Option(label = "Guaranteed (retries, dead-lettered when they run out)", value = "guaranteed")})
    String inbound_delivery() default "best-effort";

    @AttributeDefinition(name = "Inbound retries", description = "Retries of guaranteed inbound packets, 0..255.")
    int inbound_retries() default 3;

    @AttributeDefinition(name = "Inbound source component", description = "Component id (0..63) the packets name as source.")
    int inbound_source_component() default 0;

    @AttributeDefinition(name = "Origin id", description = "Marker (property cf.origin) on every Event this bridge posts; "
        + "Events carrying it are not bridged back. Empty = the framework UUID.")
    String origin_id() default "";

    @AttributeDefinition(name = "Decanter interval (ms)", description = "How often a numeric snapshot of the bridge and bus "
        + "counters is posted to the Decanter topic; 0 = never.")
    long decanter_interval_ms() default 0;

    @AttributeDefinition(name = "Decanter topic", description = "Topic of the snapshots (a Karaf Decanter collector topic).")
    String decanter_topic() default "decanter/collect/chronofabric";
}
