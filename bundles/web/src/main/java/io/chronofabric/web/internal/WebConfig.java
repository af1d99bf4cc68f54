package io.chronofabric.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ChronoFabric web dashboard", description = "The live page at /chronofabric/ and its JSON and SSE endpoints")
@interface WebConfig {

    String PID = "io.chronofabric.web";

    @AttributeDefinition(description = "Milliseconds between two Server-Sent Events snapshots (100..60000)")
    long sse_interval_ms() default 1000;

    @AttributeDefinition(description = "Most Server-Sent Events clients at once; one more gets 503 (1..1000)")
    int max_sse_clients() default 32;

    @AttributeDefinition(description = "Subscriptions listed (deepest queues first; 1..1000); the rest are counted")
    int max_subscriptions() default 50;

    @AttributeDefinition(description = "Karaf JAAS realm that checks logins for write actions")
    String realm() default "karaf";

    @AttributeDefinition(description = "Role a login needs for write actions (publish)")
    String write_role() default "admin";

    @AttributeDefinition(description = "Most packets one POST /chronofabric/api/publish may publish (1..1000000)")
    int max_publish() default 10000;
}
