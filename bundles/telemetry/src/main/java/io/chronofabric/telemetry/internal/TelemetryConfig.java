package io.chronofabric.telemetry.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = TelemetryConfig.PID, name = "ChronoFabric telemetry",
        description = "The Prometheus endpoint: where it is served and which metric families it writes")
public @interface TelemetryConfig {

    String PID = "io.chronofabric.telemetry";

    @AttributeDefinition(description = "Servlet path of the Prometheus endpoint on the HTTP whiteboard (starts with /)")
    String path() default "/metrics";

    @AttributeDefinition(description = "Metric families written: bus, subscriptions, deadletters, scheduler, oracle, ledger, "
            + "hlc, time, health, jvm, clogic, compute, cluster (a port that is absent drops its families anyway; bus includes "
            + "the channel rate limits, oracle the oracle's pin)")
    String[] families() default {"bus", "subscriptions", "deadletters", "scheduler", "oracle", "ledger", "hlc", "time", "health",
        "jvm", "clogic", "compute", "cluster"};

    @AttributeDefinition(description = "Most subscriptions listed with their own labels (the deepest queues first); "
            + "the rest are summed into chronofabric_bus_subscriptions_unlisted")
    int max_subscriptions() default 50;

    @AttributeDefinition(description = "Most task names in chronofabric_scheduler_task_misses_total (the most missed first); "
            + "the rest are summed under task=\"_other\"")
    int max_tasks() default 50;
}
