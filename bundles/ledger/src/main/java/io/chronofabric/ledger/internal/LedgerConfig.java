package io.chronofabric.ledger.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the ledger, PID {@value #PID} ({@code etc/io.chronofabric.ledger.cfg}). */
@ObjectClassDefinition(id = LedgerConfig.PID, name = "ChronoFabric ledger", description = "Secure immutable ledger and bus recorder.")
public @interface LedgerConfig {

    String PID = "io.chronofabric.ledger";

    @AttributeDefinition(name = "Directory", description = "Where segments, heads and keys live; empty = ${karaf.data}/chronofabric/ledger.")
    String dir() default "";

    @AttributeDefinition(name = "Fsync policy", description = "every-append: an append returns once its entries are on disk; "
        + "the bus recorder commits in groups (one write and one fsync for everything queued), so every recorded entry is fsynced "
        + "before the recorder counts it or takes its next batch.", options = {@Option(label = "Every append (acknowledged = durable)", value = "every-append"),
        @Option(label = "Every fsync.interval.ms", value = "interval"), @Option(label = "The OS decides", value = "os")})
    String fsync() default "every-append";

    @AttributeDefinition(name = "Fsync interval (ms)")
    long fsync_interval_ms() default 50;

    @AttributeDefinition(name = "Segment size (bytes)", description = "A new segment file starts when this size would be passed.")
    long segment_bytes() default 64L * 1024 * 1024;

    @AttributeDefinition(name = "Signing key", description = "Path of a PKCS#8 Ed25519 private key (with a .pub beside it); empty = generated in the directory.")
    String key_path() default "";

    @AttributeDefinition(name = "Head interval (ms)", description = "How often a new tree head is signed and stored while entries arrive; 0 = only on request and at stop.")
    long head_interval_ms() default 1000;

    @AttributeDefinition(name = "Recorded channels", description = "Bus channels whose packets the recorder appends to the ledger; empty = none.")
    String[] record_channels() default {};

    @AttributeDefinition(name = "Recorder queue capacity", description = "Packets the recorder holds between the bus and the ledger "
        + "(rounded up to a power of two, 16..4194304); they wait here while an fsync runs or while no ledger is present.")
    int record_queue_capacity() default 65536;

    @AttributeDefinition(name = "Recorder full wait (ms)", description = "How long a bus handler waits for room when the recorder's "
        + "queue is full before it fails, so the bus dead-letters the packet; 0 = fail at once. It never waits while no ledger "
        + "is bound or while appends fail.")
    long record_full_wait_ms() default 100;

    @AttributeDefinition(name = "Recorder drain timeout (ms)", description = "At stop, and when the ledger service goes away, how long "
        + "the recorder keeps appending what is queued; what is left is logged with its message ids.")
    long record_drain_timeout_ms() default 5000;
}
