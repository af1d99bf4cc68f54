package io.chronofabric.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = HealthConfig.PID, name = "ChronoFabric health checks",
        description = "One Apache Felix Health Check per port")
public @interface HealthConfig {

    String PID = "io.chronofabric.health";

    @AttributeDefinition(description = "Tags of every port health check (hc:exec -t chronofabric)")
    String[] tags() default {"chronofabric"};

    @AttributeDefinition(description = "Result when a single-provider port (bus, ledger, ...) has no provider: WARN or CRITICAL")
    String absent_result() default "WARN";

    @AttributeDefinition(description = "Ports whose absence is CRITICAL whatever absent.result says, comma separated")
    String[] required_ports() default {};

    @AttributeDefinition(description = "Result of a DEGRADED port: WARN or CRITICAL")
    String degraded_result() default "WARN";
}
