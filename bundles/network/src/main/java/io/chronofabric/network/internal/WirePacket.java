package io.chronofabric.network.internal;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.trace.TraceContext;
import java.util.Objects;

/**
 * A bus packet as it crosses nodes.
 *
 * @param origin        the sending node's id
 * @param channel       the bus channel
 * @param payload       the payload (encoded by its codec)
 * @param messageId     the message id the origin's bus gave it (unique across the cluster: the origin's HLC node id in its top 16 bits)
 * @param priority      the priority's ordinal
 * @param deadlineNanos absolute deadline (time-source ns), or Long.MAX_VALUE
 * @param targetMask    the routing target mask
 * @param timestamp     the origin's HLC timestamp
 * @param guaranteed    acknowledged and retransmitted until the unreachable bound
 * @param maxRetries    the packet's delivery retries (0: the bus default)
 * @param timeoutNanos  the packet's delivery timeout (0: the bus default)
 * @param dependencies  the message ids it causally depends on (not copied: not to be changed)
 * @param trace         its W3C trace context, or null
 * @param local         on the sending node, the bus packet it was made from (for the dead-letter log); null when received
 * @param scopes        per dependency, the one node that may receive the packet it names, or {@link #EVERY_NODE}
 *                      (null: every dependency is for every node); a receiving node other than the scope's leaves that
 *                      dependency out, as the packet it names was never addressed to it (see {@link BusLink#carry});
 *                      received packets carry null (the dependencies not for this node are left out already)
 */
public record WirePacket(int origin, String channel, Object payload, long messageId, int priority, long deadlineNanos,
        long targetMask, LogicalTime timestamp, boolean guaranteed, int maxRetries, long timeoutNanos, long[] dependencies,
        TraceContext trace, Object local, int[] scopes) {

    static final long[] NO_DEPENDENCIES = new long[0];
    /** The scope of a dependency on a packet that was sent to every node. */
    public static final int EVERY_NODE = -1;

    public WirePacket {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(timestamp, "timestamp");
        dependencies = dependencies == null ? NO_DEPENDENCIES : dependencies;
        if (maxRetries < 0 || maxRetries > 255) {
            throw new IllegalArgumentException("maxRetries " + maxRetries + " is out of range 0..255");
        }
        if (scopes != null && scopes.length != dependencies.length) {
            throw new IllegalArgumentException(scopes.length + " dependency scopes for " + dependencies.length + " dependencies");
        }
    }

    /** Every dependency for every node. */
    public WirePacket(int origin, String channel, Object payload, long messageId, int priority, long deadlineNanos,
            long targetMask, LogicalTime timestamp, boolean guaranteed, int maxRetries, long timeoutNanos, long[] dependencies,
            TraceContext trace, Object local) {
        this(origin, channel, payload, messageId, priority, deadlineNanos, targetMask, timestamp, guaranteed, maxRetries,
                timeoutNanos, dependencies, trace, local, null);
    }

    /** The scope of dependency {@code i}: the one node it is for, or {@link #EVERY_NODE}. */
    int scope(int i) {
        return scopes == null ? EVERY_NODE : scopes[i];
    }

    /** Without delivery options, dependencies or trace. */
    public WirePacket(int origin, String channel, Object payload, long messageId, int priority, long deadlineNanos,
            long targetMask, LogicalTime timestamp, boolean guaranteed) {
        this(origin, channel, payload, messageId, priority, deadlineNanos, targetMask, timestamp, guaranteed, 0, 0,
                NO_DEPENDENCIES, null, null);
    }

    WirePacket withOrigin(int node) {
        return new WirePacket(node, channel, payload, messageId, priority, deadlineNanos, targetMask, timestamp, guaranteed,
                maxRetries, timeoutNanos, dependencies, trace, local, scopes);
    }
}
