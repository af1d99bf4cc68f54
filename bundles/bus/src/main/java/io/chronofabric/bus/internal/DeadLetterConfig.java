package io.chronofabric.bus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the dead-letter log, PID {@value #PID} ({@code etc/io.chronofabric.bus.deadletter.cfg});
 * applied at run time (a new directory reopens the log there).
 */
@ObjectClassDefinition(id = DeadLetterConfig.PID, name = "ChronoFabric bus dead-letter log",
        description = "The durable log of packets the bus could not deliver: where, how much, how durable.")
public @interface DeadLetterConfig {

    String PID = "io.chronofabric.bus.deadletter";

    @AttributeDefinition(name = "Directory",
            description = "Where the segment files live; empty = ${karaf.data}/chronofabric/bus/deadletter, else the bus bundle's data area.")
    String dir() default "";

    @AttributeDefinition(name = "Maximum entries", description = "Entries kept at most (>= 1); beyond it the oldest segments are deleted.")
    long max_entries() default 100_000;

    @AttributeDefinition(name = "Maximum bytes", description = "Bytes of segment files at most (>= 65536); beyond it the oldest segments are deleted.")
    long max_bytes() default 64L * 1024 * 1024;

    @AttributeDefinition(name = "Fsync policy",
            description = "Records are always written to the file before the bus goes on (a process crash loses none); this says when they are forced to the disk.",
            options = {@Option(label = "At most every fsync.interval.ms, and at stop", value = "periodic"),
                @Option(label = "Every record", value = "every-append")})
    String fsync() default "periodic";

    @AttributeDefinition(name = "Fsync interval (ms)", description = "Least time between two periodic forces (>= 1).")
    long fsync_interval_ms() default 1000;

    @AttributeDefinition(name = "Payload objects kept in memory",
            description = "The original payload objects of the most recent entries, kept so that they replay in this run whatever their type (>= 0).")
    int live_entries() default 10_000;

    @AttributeDefinition(name = "Maximum payload bytes",
            description = "A payload whose encoding is larger is kept as text only (not replayable after a restart); 0..16777216.")
    int max_payload_bytes() default 1024 * 1024;
}
