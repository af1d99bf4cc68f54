package io.chronofabric.api.bus;

import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.time.QuantumOffset;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The unit of communication on the bus: a payload plus routing metadata, an HLC timestamp and
 * correlation data.
 *
 * <p><b>Lifecycle.</b> A publisher builds a packet with {@link #builder(Object)} and publishes
 * it once. At publish the bus {@linkplain #stamp stamps} it with a message id and an HLC
 * timestamp; from then on the packet is immutable and one instance is shared by every
 * subscriber (zero copy), so payloads should be immutable too. Publishing a packet a second
 * time is refused.
 *
 * <p><b>Threads.</b> Safe to read from any thread once received from the bus (the bus publishes
 * it safely). Before publish it belongs to the thread that built it.
 *
 * @param <T> payload type
 */
public final class PhasePacket<T> {

    private static final long[] NO_DEPENDENCIES = new long[0];

    /** Message id value of a packet not yet published. */
    public static final long UNSTAMPED = -1;

    private final T payload;
    private final String channel;
    private final RoutingMetadata routing;
    private final long[] causalDependencies;
    private final QuantumOffset quantumOffset;
    private final double temporalPhase;
    private final float coherenceScore;

    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(PhasePacket.class, "pendingDeliveries", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // written once by the bus before the packet is handed to any other thread
    private Object owner;
    private long messageId = UNSTAMPED;
    private LogicalTime timestamp;
    /** The timestamp's parts when stamped by parts (hlcPhysical -1 otherwise). */
    private long hlcPhysical = -1;
    private long hlcLogical;
    private int hlcNodeId;
    private long publishedAtNanos;
    private long deadlineNanos;
    /** The W3C trace context: from the builder, or attached by the bus when it samples the packet. */
    private io.chronofabric.api.trace.TraceContext trace;
    /** The publisher asked for a new trace rooted at this packet's publish ({@link Builder#newTrace}). */
    private boolean startsTrace;
    // deliveries still outstanding; the bus's bookkeeping for causal dependencies
    @SuppressWarnings("unused")
    private volatile int pendingDeliveries;
    private int expectedDeliveries;

    private PhasePacket(Builder<T> b) {
        this(b.payload, b.channel, b.routing(), b.causalDependencies, b.quantumOffset, b.temporalPhase, b.coherenceScore);
        this.trace = b.trace;
        this.startsTrace = b.startTrace;
    }

    private PhasePacket(T payload, String channel, RoutingMetadata routing, long[] causalDependencies,
            QuantumOffset quantumOffset, double temporalPhase, float coherenceScore) {
        this.payload = payload;
        this.channel = channel;
        this.routing = routing;
        this.causalDependencies = causalDependencies;
        this.quantumOffset = quantumOffset;
        this.temporalPhase = temporalPhase;
        this.coherenceScore = coherenceScore;
        this.deadlineNanos = routing.deadlineNanos();
    }

    /**
     * Starts a packet carrying {@code payload}.
     *
     * @throws NullPointerException if {@code payload} is null
     */
    public static <T> Builder<T> builder(T payload) {
        return new Builder<>(payload);
    }

    /**
     * A packet with default routing from {@code source}: normal priority, all targets, best effort.
     * Allocates only the packet (the routing record is shared).
     */
    public static <T> PhasePacket<T> of(T payload, ComponentId source) {
        return of(payload, RoutingMetadata.defaults(source));
    }

    /**
     * A typed-routing packet with prepared routing, shared between packets; allocates only the
     * packet. The fastest way to publish many packets alike.
     */
    public static <T> PhasePacket<T> of(T payload, RoutingMetadata routing) {
        return new PhasePacket<>(Objects.requireNonNull(payload, "payload"), null, Objects.requireNonNull(routing, "routing"),
                NO_DEPENDENCIES, QuantumOffset.NONE, 0, 1f);
    }

    /** As {@link #of(Object, RoutingMetadata)}, on a channel. */
    public static <T> PhasePacket<T> of(T payload, String channel, RoutingMetadata routing) {
        return new PhasePacket<>(Objects.requireNonNull(payload, "payload"), Channels.requireValid(channel),
                Objects.requireNonNull(routing, "routing"), NO_DEPENDENCIES, QuantumOffset.NONE, 0, 1f);
    }

    /**
     * Provider bookkeeping, called by the bus at publish: records the message id, the HLC
     * timestamp, the time-source reading at publish (for latency) and the effective deadline, and
     * binds the packet to {@code owner}, a private object of the bus that stamps it. The other
     * bookkeeping methods ({@link #expectDeliveries}, {@link #deliveryDone}) then work only with
     * that same object, so a handler, which never sees it, cannot change a packet's accounting.
     *
     * @param owner the stamping bus's private token (identity compared), not null
     * @throws IllegalStateException if the packet was already published, naming its id
     */
    public void stamp(Object owner, long id, LogicalTime time, long publishedAt, long deadline) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(time, "time");
        if (messageId != UNSTAMPED) {
            throw new IllegalStateException("Packet " + new MessageId(messageId) + " was already published; build a new packet");
        }
        if (id < 0) {
            throw new IllegalArgumentException("Message id " + id + " is negative");
        }
        if (deadline < 0) {
            throw new IllegalArgumentException("Deadline " + deadline + " ns is negative");
        }
        this.owner = owner;
        this.timestamp = time;
        this.publishedAtNanos = publishedAt;
        this.deadlineNanos = deadline;
        this.messageId = id;
    }

    /**
     * As {@link #stamp(Object, long, LogicalTime, long, long)}, with the HLC timestamp given by its
     * parts (as {@link io.chronofabric.api.time.HlcClock#nowInto} writes them), so that stamping
     * creates no object; {@link #timestamp()} builds the {@link LogicalTime} when first asked.
     *
     * @throws IllegalStateException if the packet was already published, naming its id
     * @throws IllegalArgumentException if a timestamp part is out of the range {@link LogicalTime} allows
     * @since 1.1
     */
    public void stamp(Object owner, long id, long hlcPhysical, long hlcLogical, int hlcNodeId, long publishedAt, long deadline) {
        Objects.requireNonNull(owner, "owner");
        if (hlcPhysical < 0 || hlcLogical < 0 || hlcLogical > LogicalTime.MAX_LOGICAL || hlcNodeId < 0
                || hlcNodeId > LogicalTime.MAX_NODE_ID) {
            new LogicalTime(hlcPhysical, hlcLogical, hlcNodeId); // throws, naming the part out of range
        }
        if (messageId != UNSTAMPED) {
            throw new IllegalStateException("Packet " + new MessageId(messageId) + " was already published; build a new packet");
        }
        if (id < 0) {
            throw new IllegalArgumentException("Message id " + id + " is negative");
        }
        if (deadline < 0) {
            throw new IllegalArgumentException("Deadline " + deadline + " ns is negative");
        }
        this.owner = owner;
        this.hlcPhysical = hlcPhysical;
        this.hlcLogical = hlcLogical;
        this.hlcNodeId = hlcNodeId;
        this.publishedAtNanos = publishedAt;
        this.deadlineNanos = deadline;
        this.messageId = id;
    }

    /**
     * Provider bookkeeping: sets the number of deliveries about to be attempted, before the
     * packet is shared with other threads.
     *
     * @param owner the token the packet was {@linkplain #stamp stamped} with
     * @throws IllegalStateException if {@code owner} is not that token
     */
    public void expectDeliveries(Object owner, int count) {
        checkOwner(owner);
        expectedDeliveries = count;
        // release, not volatile: the packet reaches other threads only through a queue (or a call) after
        // this, which orders it; a full fence here would cost every publish for nothing
        PENDING.setRelease(this, count);
    }

    /**
     * Provider bookkeeping: one delivery finished (handed over, dropped or failed). Returns how
     * many remain; 0 means the packet is done with.
     *
     * @param owner the token the packet was {@linkplain #stamp stamped} with
     * @throws IllegalStateException if {@code owner} is not that token
     */
    public int deliveryDone(Object owner) {
        checkOwner(owner);
        if (expectedDeliveries == 1) {
            // the only delivery: no other thread counts down, so no atomic update is needed
            return 0;
        }
        return (int) PENDING.getAndAdd(this, -1) - 1;
    }

    /**
     * Provider bookkeeping: the bus that stamped this packet attaches the trace context it
     * sampled it into (before the packet is shared with other threads).
     *
     * @param owner the token the packet was {@linkplain #stamp stamped} with
     * @throws IllegalStateException if {@code owner} is not that token
     * @since 1.1
     */
    public void attachTrace(Object owner, io.chronofabric.api.trace.TraceContext context) {
        checkOwner(owner);
        this.trace = Objects.requireNonNull(context, "context");
    }

    /**
     * Whether the publisher asked for a new trace rooted at this packet ({@link Builder#newTrace});
     * the bus then attaches the context at publish.
     *
     * @since 1.1
     */
    public boolean startsTrace() {
        return startsTrace;
    }

    /**
     * The W3C trace context this packet carries, or null when it is not traced.
     *
     * @since 1.1
     */
    public io.chronofabric.api.trace.TraceContext trace() {
        return trace;
    }

    /**
     * The context a packet derived from this one should carry to continue its trace: the same
     * trace, with this packet's publish span as the parent. Null when this packet is not traced or
     * not published yet.
     *
     * @since 1.1
     */
    public io.chronofabric.api.trace.TraceContext childTrace() {
        io.chronofabric.api.trace.TraceContext t = trace;
        if (t == null || messageId == UNSTAMPED) {
            return null;
        }
        return t.withSpan(io.chronofabric.api.trace.TraceContext.publishSpanId(messageId, t));
    }

    private void checkOwner(Object token) {
        if (token != owner || token == null) {
            throw new IllegalStateException("Delivery bookkeeping of packet " + (isStamped() ? new MessageId(messageId) : "(unpublished)")
                    + " belongs to the bus that published it");
        }
    }

    public T payload() {
        return payload;
    }

    /** The payload's class, the key of typed routing. */
    public Class<?> payloadType() {
        return payload.getClass();
    }

    /** The channel this packet is published on, or null for typed routing only. */
    public String channel() {
        return channel;
    }

    public RoutingMetadata routing() {
        return routing;
    }

    public Priority priority() {
        return routing.priority();
    }

    public long targetMask() {
        return routing.targetMask();
    }

    /** The effective absolute deadline: the routing's, or the one given at publish. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Whether a deadline applies. */
    public boolean hasDeadline() {
        return deadlineNanos != RoutingMetadata.NO_DEADLINE;
    }

    /** Time-source nanoseconds when the bus accepted the packet; 0 before publish. */
    public long publishedAtNanos() {
        return publishedAtNanos;
    }

    public DeliveryOptions delivery() {
        return routing.delivery();
    }

    /** The message id value, or {@link #UNSTAMPED} before publish. */
    public long messageIdValue() {
        return messageId;
    }

    /** The message id; null before publish. */
    public MessageId messageId() {
        return messageId == UNSTAMPED ? null : new MessageId(messageId);
    }

    /** The HLC timestamp given at publish; null before publish. */
    public LogicalTime timestamp() {
        LogicalTime t = timestamp;
        if (t == null && messageId != UNSTAMPED && hlcPhysical >= 0) {
            t = new LogicalTime(hlcPhysical, hlcLogical, hlcNodeId); // stamped by parts: built once, on first use
            timestamp = t; // a race builds equal values; a record's final fields make either safe to share
        }
        return t;
    }

    public boolean isStamped() {
        return messageId != UNSTAMPED;
    }

    /** Ids of the packets that must be delivered before this one (a copy). */
    public long[] causalDependencies() {
        return causalDependencies.length == 0 ? NO_DEPENDENCIES : causalDependencies.clone();
    }

    public int causalDependencyCount() {
        return causalDependencies.length;
    }

    public long causalDependency(int index) {
        return causalDependencies[index];
    }

    public QuantumOffset quantumOffset() {
        return quantumOffset;
    }

    /** Phase in radians in [0, 2&pi;) that schedulers may use to spread delivery; 0 by default. */
    public double temporalPhase() {
        return temporalPhase;
    }

    /** Publisher-supplied score in [0, 1] for optimisation hints; 1 by default. */
    public float coherenceScore() {
        return coherenceScore;
    }

    @Override
    public String toString() {
        return "PhasePacket[id=" + (isStamped() ? new MessageId(messageId) : "unpublished")
                + ", time=" + timestamp()
                + (channel != null ? ", channel=" + channel : "")
                + ", type=" + payload.getClass().getName()
                + ", priority=" + routing.priority() + "]";
    }

    /**
     * Builds a packet. Not thread-safe. Every setter validates at once and names the bad value.
     *
     * @param <T> payload type
     */
    public static final class Builder<T> {
        private final T payload;
        private String channel;
        private ComponentId source = ComponentId.SYSTEM;
        private long sourceTaskId = RoutingMetadata.NO_TASK;
        private long targetMask = ComponentId.ALL;
        private Priority priority = Priority.NORMAL;
        private long deadlineNanos = RoutingMetadata.NO_DEADLINE;
        private int sizeHint;
        private DeliveryOptions delivery = DeliveryOptions.BEST_EFFORT;
        private RoutingMetadata routing;
        private long[] causalDependencies = NO_DEPENDENCIES;
        private QuantumOffset quantumOffset = QuantumOffset.NONE;
        private double temporalPhase;
        private float coherenceScore = 1f;
        private io.chronofabric.api.trace.TraceContext trace;
        private boolean startTrace;

        private Builder(T payload) {
            this.payload = Objects.requireNonNull(payload, "payload");
        }

        /**
         * Publishes on a named channel.
         *
         * @throws IllegalArgumentException if the name is blank or contains whitespace
         */
        public Builder<T> channel(String name) {
            this.channel = Channels.requireValid(name);
            return this;
        }

        public Builder<T> source(ComponentId id) {
            this.source = Objects.requireNonNull(id, "source");
            this.routing = null;
            return this;
        }

        public Builder<T> sourceTask(long taskId) {
            this.sourceTaskId = taskId;
            this.routing = null;
            return this;
        }

        public Builder<T> priority(Priority p) {
            this.priority = Objects.requireNonNull(p, "priority");
            this.routing = null;
            return this;
        }

        /** Absolute deadline in time-source nanoseconds since the epoch. */
        public Builder<T> deadline(long nanos) {
            if (nanos < 0) {
                throw new IllegalArgumentException("Deadline " + nanos + " ns is negative");
            }
            this.deadlineNanos = nanos;
            this.routing = null;
            return this;
        }

        /** Target-component bitmask; see {@link RoutingMetadata#targetMask()}. */
        public Builder<T> targets(long mask) {
            this.targetMask = mask;
            this.routing = null;
            return this;
        }

        public Builder<T> targets(ComponentId... ids) {
            return targets(ComponentId.maskOf(ids));
        }

        public Builder<T> sizeHint(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("Size hint " + bytes + " is negative");
            }
            this.sizeHint = bytes;
            this.routing = null;
            return this;
        }

        /** Guaranteed delivery with up to {@code maxRetries} retries (0..255). */
        public Builder<T> guaranteed(int maxRetries) {
            this.delivery = new DeliveryOptions(DeliveryGuarantee.GUARANTEED, maxRetries, delivery.timeoutNanos());
            this.routing = null;
            return this;
        }

        /** How long the bus may keep trying to deliver, in nanoseconds (0 = bus default). */
        public Builder<T> timeout(long nanos) {
            this.delivery = delivery.withTimeout(nanos);
            this.routing = null;
            return this;
        }

        public Builder<T> delivery(DeliveryOptions options) {
            this.delivery = Objects.requireNonNull(options, "delivery");
            this.routing = null;
            return this;
        }

        /** Uses a prepared routing record (shared between packets) instead of the setters above. */
        public Builder<T> routing(RoutingMetadata metadata) {
            RoutingMetadata r = Objects.requireNonNull(metadata, "routing");
            this.source = r.source();
            this.sourceTaskId = r.sourceTaskId();
            this.targetMask = r.targetMask();
            this.priority = r.priority();
            this.deadlineNanos = r.deadlineNanos();
            this.sizeHint = r.sizeHint();
            this.delivery = r.delivery();
            this.routing = r;
            return this;
        }

        /** The packet is held back until every named message has been delivered (or its deadline). */
        public Builder<T> dependsOn(long... messageIds) {
            for (long id : messageIds) {
                if (id < 0) {
                    throw new IllegalArgumentException("Causal dependency " + id + " is not a message id");
                }
            }
            this.causalDependencies = messageIds.clone();
            return this;
        }

        public Builder<T> dependsOn(MessageId... ids) {
            long[] values = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                values[i] = ids[i].value();
            }
            this.causalDependencies = values;
            return this;
        }

        public Builder<T> quantumOffset(QuantumOffset offset) {
            this.quantumOffset = Objects.requireNonNull(offset, "quantumOffset");
            return this;
        }

        /** @throws IllegalArgumentException unless 0 &le; radians &lt; 2&pi; */
        public Builder<T> temporalPhase(double radians) {
            if (!(radians >= 0 && radians < 2 * Math.PI)) {
                throw new IllegalArgumentException("Temporal phase " + radians + " rad is outside [0, 2pi)");
            }
            this.temporalPhase = radians;
            return this;
        }

        /** @throws IllegalArgumentException unless 0 &le; score &le; 1 */
        public Builder<T> coherenceScore(float score) {
            if (!(score >= 0f && score <= 1f)) {
                throw new IllegalArgumentException("Coherence score " + score + " is outside [0, 1]");
            }
            this.coherenceScore = score;
            return this;
        }

        RoutingMetadata routing() {
            if (routing == null) {
                RoutingMetadata r = new RoutingMetadata(source, sourceTaskId, targetMask, priority, deadlineNanos, sizeHint, delivery);
                routing = r.isDefault() ? RoutingMetadata.defaults(source) : r;
            }
            return routing;
        }

        /**
         * Continues a trace: the bus records this packet's spans as children of
         * {@code context.spanId()} when the context is sampled (and a span sink is registered).
         *
         * @since 1.1
         */
        public Builder<T> trace(io.chronofabric.api.trace.TraceContext context) {
            this.trace = Objects.requireNonNull(context, "trace");
            return this;
        }

        /**
         * Starts a new sampled trace at this packet: the bus attaches a new context at publish and
         * its publish span is the trace's root (no parent). Ignored when a context is given too.
         *
         * @since 1.1
         */
        public Builder<T> newTrace() {
            this.startTrace = true;
            return this;
        }

        /**
         * As {@link #trace}, from a W3C {@code traceparent} value.
         *
         * @throws IllegalArgumentException naming what is wrong with the value
         * @since 1.1
         */
        public Builder<T> traceparent(String traceparent) {
            return trace(io.chronofabric.api.trace.TraceContext.parse(traceparent));
        }

        public PhasePacket<T> build() {
            return new PhasePacket<>(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        // identity for unpublished packets; id for published ones
        if (this == o) {
            return true;
        }
        return o instanceof PhasePacket<?> other && messageId != UNSTAMPED && messageId == other.messageId;
    }

    @Override
    public int hashCode() {
        return messageId != UNSTAMPED ? Long.hashCode(messageId) : System.identityHashCode(this);
    }
}
