package io.chronofabric.bus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the bus, PID {@value #PID} ({@code etc/io.chronofabric.bus.cfg}); applied at run time. */
@ObjectClassDefinition(id = BusConfig.PID, name = "ChronoFabric bus",
        description = "Phase Coherence Bus: queues, dispatch, delivery defaults and health targets.")
public @interface BusConfig {

    String PID = "io.chronofabric.bus";

    @AttributeDefinition(name = "Queue capacity",
            description = "Packets one subscriber may have waiting per priority level (rounded up to a power of two, 16..1048576). Applies to new subscriptions.")
    int queue_capacity() default 8192;

    @AttributeDefinition(name = "Wait strategy", description = "How idle dispatchers and receivers wait for packets.",
            options = {@Option(label = "Back-off (spin, yield, then park; no CPU when idle)", value = "backoff"),
                @Option(label = "Park (no CPU when idle)", value = "park"),
                @Option(label = "Yield", value = "yield"),
                @Option(label = "Busy spin (one core per dispatcher)", value = "busy-spin")})
    String wait_strategy() default "backoff";

    @AttributeDefinition(name = "Back-off: spin (us)",
            description = "wait.strategy=backoff: how long an idle consumer spins before it starts yielding, 0..1000000.")
    long wait_backoff_spin_us() default 20;

    @AttributeDefinition(name = "Back-off: yield until (us)",
            description = "wait.strategy=backoff: how long after its last packet an idle consumer keeps yielding before it parks "
                    + "(then a publisher has to wake it); packets closer together than this never wait for a wake-up.")
    long wait_backoff_yield_us() default 200;

    @AttributeDefinition(name = "Dispatcher threads", description = "Threads that call whiteboard handlers, 1..64.")
    int dispatcher_threads() default 1;

    @AttributeDefinition(name = "Default retries", description = "Retries of a guaranteed packet that names none, 0..255.")
    int default_retries() default 3;

    @AttributeDefinition(name = "Default timeout (ms)", description = "How long a guaranteed delivery may keep retrying when the packet names no timeout.")
    long default_timeout_ms() default 100;

    @AttributeDefinition(name = "Maximum held packets", description = "Packets waiting for causal dependencies; beyond it publishing such packets is refused.")
    int max_held() default 10000;

    @AttributeDefinition(name = "Shutdown timeout (ms)", description = "How long a stopping bus, or a handler that leaves, keeps getting the packets already queued for it; the rest go to the dead-letter log.")
    long shutdown_timeout_ms() default 5000;

    @AttributeDefinition(name = "Health: maximum average latency (ns)")
    long health_max_avg_latency_ns() default 1000;

    @AttributeDefinition(name = "Health: minimum capacity (packets/s)",
            description = "Deliveries per second the dispatchers could sustain at the measured cost per delivery.")
    long health_min_capacity() default 1_000_000;

    @AttributeDefinition(name = "Sliding window (ms)", description = "Window of the throughput, recent latency and capacity figures that health judges.")
    long throughput_window_ms() default 10_000;

    @AttributeDefinition(name = "Causal tracking",
            description = "auto: track packet completion from the first packet with causal dependencies on (no cost before); always: from the start.",
            options = {@Option(label = "auto", value = "auto"), @Option(label = "always", value = "always")})
    String causal_tracking() default "auto";

    @AttributeDefinition(name = "Remote causal wait (ms)",
            description = "How long a packet without a deadline waits for a causal dependency on another node's message that has not been delivered on this node (bus across nodes); then it expires as a held packet does (dead-lettered when guaranteed). 1..86400000.")
    long causal_remote_wait_ms() default 30_000;

    @AttributeDefinition(name = "Trace sample ratio",
            description = "Share (0..1) of packets without a traceparent that the bus starts a W3C trace for while a span sink (the telemetry trace store) is present; packets that carry a sampled traceparent are always traced. 0: only those.")
    double trace_sample_ratio() default 0.0;

    @AttributeDefinition(name = "State directory",
            description = "Where the message-id reservation and channel links are kept; empty = ${karaf.data}/chronofabric/bus.")
    String state_dir() default "";
}
