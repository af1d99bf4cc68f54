package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.BusBridge;
import io.chronofabric.api.bus.BusHealth;
import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.DeadLetter;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.bus.Subscription;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.SubscriptionNotFoundException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.SpanSink;
import io.chronofabric.api.trace.TraceContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Phase Coherence Bus, independent of OSGi (the DS component {@link BusComponent} wraps it).
 *
 * <p>Publish path, lock-free: stamp (message id from a sequence reserved on disk ahead of use,
 * HLC timestamp, time of publish), check the deadline, hold if causal dependencies are not done,
 * look up the {@link RouteTable} for the channel or payload class, and offer the one packet
 * instance to the lane queue of each selected subscriber. A full queue drops (best effort) or
 * retries with back-off until the packet's retries or timeout run out (guaranteed), then
 * dead-letters and tells the publisher.
 *
 * <p>Each queue has one consumer at a time, the holder of its {@link ConsumerToken}: the
 * dispatcher serving a handler (the token moves with the subscription when dispatchers change),
 * the thread inside a receiver's poll. A close never drains a queue from under its consumer: it
 * marks the subscription closed and the token holder delivers what it may and dead-letters the
 * rest ({@link #finalDrain}). A publisher whose offer raced the close finds the subscription
 * closed right after offering and, if the token is free, drains it itself; if not, the holder
 * looks at the queue again after releasing it, so nothing offered is stranded.
 *
 * <p>Everything accepted and not delivered (retries exhausted, handler or filter threw, still
 * queued when a subscription or the bus closed, held or expired while guaranteed) goes to the
 * {@link DeadLetterSink}; while none is attached, to a bounded buffer in memory that is written
 * out when one is.
 */
public class PhaseCoherenceBus implements EventBus, BusBridge, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(PhaseCoherenceBus.class);
    private static final long HOUSEKEEPING_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Sequences reserved on disk at a time: a crash skips at most this many ids. */
    static final long ID_BLOCK = 1L << 28;
    private static final int MAX_PENDING_DEAD_LETTERS = 100_000;

    final BusMetrics metrics = new BusMetrics();
    /** Identifies this bus to the packets it stamps: only it can do their delivery bookkeeping. */
    private final Object owner = new Object();
    /** Each publisher thread's slots for the HLC's timestamp parts ({@link HlcClock#nowInto}). */
    private final ThreadLocal<long[]> stampScratch = ThreadLocal.withInitial(() -> new long[3]);
    private final Router router = new Router();
    private final CausalTracker causal;
    private final PaddedSequence sequence;
    private final long firstSequence;
    private final SequenceStore sequences;
    private volatile long idLimit;
    private final AtomicLong subscriptionIds = new AtomicLong();
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, 1, TimeUnit.SECONDS);
    private final WaitStrategy.Waker housekeeperWaker = new WaitStrategy.Waker();
    private final Thread housekeeper;
    private final Object dispatchLock = new Object();
    private final Set<Subscriber> closing = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<PendingDeadLetter> pendingDeadLetters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingDeadLetterCount = new AtomicInteger();
    private final AtomicLong deadLettersLost = new AtomicLong();
    private volatile Clocks clocks;
    private volatile int lastNodeId;
    /** This bus's node id (the HLC's), for telling packets of other nodes published by a bridge from its own. */
    private volatile int localNode;
    private volatile Settings settings;
    private volatile DeadLetterSink deadLetters;
    /** Span sinks (whiteboard {@link SpanSink} services); empty: no packet is traced, one length check per publish. */
    private volatile SpanSink[] spanSinks = NO_SPAN_SINKS;
    /** Share of untraced packets the bus starts a trace for while a sink is present (trace.sample.ratio). */
    private volatile double traceSampleRatio;
    private static final SpanSink[] NO_SPAN_SINKS = new SpanSink[0];
    private volatile List<Dispatcher> dispatchers = List.of();
    /** Per-channel rate limits ({@link ChannelLimits}); null while no channel has one: one volatile read per publish. */
    private volatile ChannelLimits throttles;
    /**
     * Ids of best-effort packets refused by their channel's rate limit while held for causal
     * dependencies: on release they are counted dropped, marked done and routed to nobody. Touched
     * only on that rare path and by the housekeeper's release walk (an isEmpty check).
     */
    private final Set<Long> dropOnRelease = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean releaseRequested;
    private final AtomicLong retiredDelivered = new AtomicLong();
    private int dispatcherGeneration;

    /** The time source and HLC in force; {@code hlc} null while no clock is present. */
    private record Clocks(TimeSource time, HlcClock hlc) {
    }

    private record PendingDeadLetter(PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause) {
    }

    public PhaseCoherenceBus(Settings settings, TimeSource time, HlcClock hlc) {
        this(settings, time, hlc, SequenceStore.inMemory(), null);
    }

    /**
     * @param time        may be null (no clock yet: publishing fails fast until {@link #setClocks})
     * @param hlc         may be null, likewise
     * @param sequences   where message-id sequences are reserved
     * @param deadLetters the dead-letter log, or null until {@link #setDeadLetterSink}
     */
    public PhaseCoherenceBus(Settings settings, TimeSource time, HlcClock hlc, SequenceStore sequences,
            DeadLetterSink deadLetters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sequences = Objects.requireNonNull(sequences, "sequences");
        this.deadLetters = deadLetters;
        this.clocks = clocksOf(time, hlc, null);
        if (hlc != null) {
            this.localNode = hlc.nodeId();
            this.lastNodeId = localNode;
        }
        long first;
        try {
            first = sequences.start();
            sequences.reserve(first + ID_BLOCK);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reserve message ids: " + e.getMessage(), e);
        }
        this.firstSequence = first;
        this.idLimit = first + ID_BLOCK;
        this.sequence = new PaddedSequence(first - 1);
        this.causal = new CausalTracker(this::requestRelease, first, settings.causalAlways());
        startDispatchers(settings.dispatcherThreads());
        // the window's first point, before any delivery: a housekeeper that starts late must not
        // fold the first deliveries into its first point and see no work in the window
        metrics.sample(System.nanoTime(), 0, settings.throughputWindowNanos());
        this.housekeeper = new Thread(this::housekeep, "chronofabric-bus-housekeeper");
        this.housekeeper.setDaemon(true);
        this.housekeeper.start();
    }

    // ---------------------------------------------------------------- configuration

    private Clocks clocksOf(TimeSource ts, HlcClock hlc, Clocks previous) {
        if (ts != null && hlc != null) {
            return new Clocks(ts, hlc);
        }
        long last = previous == null ? 0 : previous.time().nowNanos();
        return new Clocks(new FallbackTime(last), null);
    }

    /**
     * Follows the clock: both present, publishing works; either absent, publishing fails fast with
     * {@link ServiceUnavailableException} while consumers go on with a monotonic stand-in that
     * continues from the last reading (for deadlines and latency).
     */
    void setClocks(TimeSource ts, HlcClock hlc) {
        clocks = clocksOf(ts, hlc, clocks);
        if (hlc != null) {
            localNode = hlc.nodeId();
            lastNodeId = localNode;
        }
    }

    /** A packet a bridge published under another node's id: always counted down (see {@link CausalTracker}). */
    private boolean isForeign(PhasePacket<?> p) {
        return (int) (p.messageIdValue() >>> 48) != localNode;
    }

    /** Packets held for their causal dependencies now. */
    int causalHeldCount() {
        return causal.heldCount();
    }

    /** How long a packet without a deadline waits for a message of another node (causal.remote.wait.ms). */
    void setRemoteWaitNanos(long nanos) {
        causal.remoteWaitNanos(nanos);
    }

    boolean hasClock() {
        return clocks.hlc() != null;
    }

    /** The span sinks to report traced packets to (none: tracing off). */
    void setSpanSinks(List<SpanSink> sinks) {
        spanSinks = sinks.isEmpty() ? NO_SPAN_SINKS : sinks.toArray(new SpanSink[0]);
    }

    /**
     * The share of packets without a trace context that the bus starts a trace for.
     *
     * @throws IllegalArgumentException unless 0 &lt;= ratio &lt;= 1
     */
    void setTraceSampleRatio(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("trace.sample.ratio must be in [0, 1], got " + ratio);
        }
        traceSampleRatio = ratio;
    }

    /** The channel rate limits in force (null: none); {@link ChannelLimits#attach} calls this. */
    void setThrottles(ChannelLimits limits) {
        throttles = limits;
    }

    /** Attaches the dead-letter log (null detaches it) and writes out what was buffered meanwhile. */
    void setDeadLetterSink(DeadLetterSink sink) {
        deadLetters = sink;
        if (sink != null) {
            flushPendingDeadLetters(sink);
        }
    }

    Settings settings() {
        return settings;
    }

    WaitStrategy waitStrategy() {
        return settings.waitStrategy();
    }

    long firstSequence() {
        return firstSequence;
    }

    /** Applies new settings; queue capacity applies to new subscriptions. */
    void reconfigure(Settings next) {
        Settings prev = settings;
        settings = next;
        if (next.causalAlways()) {
            causal.startTracking(sequence.get() + 1);
        }
        if (next.dispatcherThreads() != prev.dispatcherThreads()) {
            startDispatchers(next.dispatcherThreads());
        }
        for (Dispatcher d : dispatchers) {
            d.waker.wake();
        }
    }

    /**
     * Replaces the dispatcher set. The new threads start first; each old one then passes its
     * subscriptions over itself, after its current batch, so a handler in a long call keeps its
     * subscriptions (and is never called by two threads) until it returns.
     */
    private void startDispatchers(int count) {
        synchronized (dispatchLock) {
            List<Dispatcher> old = dispatchers;
            dispatcherGeneration++;
            List<Dispatcher> fresh = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Dispatcher d = new Dispatcher(this, "chronofabric-bus-dispatch-" + dispatcherGeneration + "-" + i);
                metrics.register(d);
                fresh.add(d);
            }
            dispatchers = List.copyOf(fresh);
            for (Dispatcher d : fresh) {
                d.start();
            }
            for (Dispatcher d : old) {
                d.handOver();
                metrics.retireLater(d);
            }
        }
    }

    /** Gives a handler subscription (its token held by the caller) to the least loaded current dispatcher. */
    void assign(HandlerSubscriber s) {
        while (true) {
            Dispatcher best = null;
            for (Dispatcher d : dispatchers) {
                if (best == null || d.load() < best.load()) {
                    best = d;
                }
            }
            if (best != null && best.offer(s)) {
                return;
            }
            if (closed && allStopping()) {
                s.markClosed("the bus stopped", 0);
                finalDrain(s);
                return;
            }
            Thread.yield(); // the dispatcher set is being replaced
        }
    }

    private boolean allStopping() {
        for (Dispatcher d : dispatchers) {
            if (!d.isStopping()) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- publishing

    @Override
    public long publish(PhasePacket<?> packet) {
        return publish(packet, packet.routing().deadlineNanos());
    }

    @Override
    public long publishWithDeadline(PhasePacket<?> packet, long deadlineNanos) {
        if (deadlineNanos < 0) {
            throw new IllegalArgumentException("Deadline " + deadlineNanos + " ns is negative");
        }
        return publish(packet, deadlineNanos);
    }

    private long publish(PhasePacket<?> packet, long deadline) {
        long id = accept(packet, deadline);
        if (id < 0) {
            return -id - 1;
        }
        route(packet, true);
        if (packet.trace() != null && spanSinks.length != 0) {
            publishSpan(packet);
        }
        return id;
    }

    @Override
    public long[] publishBatch(List<? extends PhasePacket<?>> packets) {
        long[] ids = new long[packets.size()];
        int i = 0;
        for (PhasePacket<?> p : packets) {
            ids[i++] = publish(p);
        }
        return ids;
    }

    @Override
    public PublishStatus tryPublish(PhasePacket<?> packet) {
        Objects.requireNonNull(packet, "packet");
        Clocks c = clocks;
        if (closed || c.hlc() == null) {
            return PublishStatus.CLOSED;
        }
        long deadline = packet.routing().deadlineNanos();
        long now = c.time().nowNanos();
        if (deadline != RoutingMetadata.NO_DEADLINE && deadline < now) {
            metrics.expired.increment();
            return PublishStatus.EXPIRED;
        }
        ChannelLimits t = throttles;
        if (t != null && !t.tryAdmit(packet, now)) {
            return PublishStatus.THROTTLED; // not stamped: the same packet may be published later
        }
        long id = stamp(packet, c.hlc(), now, deadline);
        if (id < 0) {
            return PublishStatus.ACCEPTED;
        }
        boolean queued = route(packet, false);
        if (packet.trace() != null && spanSinks.length != 0) {
            publishSpan(packet);
        }
        return queued ? PublishStatus.ACCEPTED : PublishStatus.QUEUE_FULL;
    }

    // ---------------------------------------------------------------- bridges (BusBridge)

    @Override
    public long publishForeign(PhasePacket<?> packet, long originMessageId, LogicalTime originTime) {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(originTime, "originTime");
        if (closed) {
            throw new ServiceUnavailableException("bus", "the bus is stopping; packet from another node not accepted");
        }
        Clocks c = clocks;
        HlcClock hlc = c.hlc();
        if (hlc == null) {
            throw new ServiceUnavailableException("clock", "no TimeSource or HlcClock service is present; packet from another "
                    + "node not accepted");
        }
        int node = hlc.nodeId();
        checkForeignId(originMessageId, node);
        long deadline = packet.routing().deadlineNanos();
        long now = c.time().nowNanos();
        if (deadline != RoutingMetadata.NO_DEADLINE && deadline < now) {
            metrics.expired.increment();
            throw new TemporalViolationException("packet " + new MessageId(originMessageId) + " from node "
                    + (originMessageId >>> 48) + ": its deadline " + deadline + " ns was " + (now - deadline)
                    + " ns in the past when it arrived (time source reads " + now + " ns)");
        }
        int deps = packet.causalDependencyCount();
        if (deps > 0) {
            checkDependencies(packet, node);
        }
        packet.stamp(owner, originMessageId, originTime, now, deadline);
        if (deps > 0 && !causal.allDone(packet, node, sequence.get())) {
            if (!causal.hold(packet, settings.maxHeld(), node, sequence.get())) {
                throw new ResourceExhaustedException("causal holds", settings.maxHeld()
                        + " packets already wait for their dependencies; packet " + new MessageId(originMessageId)
                        + " from node " + (originMessageId >>> 48) + " refused");
            }
            requestRelease();
            return originMessageId;
        }
        route(packet, true);
        return originMessageId;
    }

    private static void checkForeignId(long id, int node) {
        if (id < 0) {
            throw new IllegalArgumentException("Message id " + id + " is negative");
        }
        if ((int) (id >>> 48) == node) {
            throw new IllegalArgumentException("Message id " + new MessageId(id) + " names this bus's own node " + node
                    + "; a bridge publishes only packets of other nodes under their origin id");
        }
    }

    @Override
    public long deadLetter(PhasePacket<?> packet, String reason) {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(reason, "reason");
        if (!packet.isStamped()) {
            throw new IllegalArgumentException("Packet on " + packet.channel() + " is not published; a bridge dead-letters "
                    + "packets this bus published (or deadLetterForeign for one received)");
        }
        metrics.failed.increment();
        return deadLetter(packet, reason, null, null);
    }

    @Override
    public long deadLetterForeign(PhasePacket<?> packet, long originMessageId, LogicalTime originTime, String reason) {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(originTime, "originTime");
        Objects.requireNonNull(reason, "reason");
        if (originMessageId < 0) {
            throw new IllegalArgumentException("Message id " + originMessageId + " is negative");
        }
        long deadline = packet.routing().deadlineNanos();
        packet.stamp(owner, originMessageId, originTime, clocks.time().nowNanos(), deadline);
        metrics.failed.increment();
        return deadLetter(packet, reason, null, null);
    }

    /**
     * Stamps the packet after checking the bus, the clock and the deadline.
     *
     * @return the message id, or {@code -(id + 1)} when the packet was held for its dependencies
     */
    private long accept(PhasePacket<?> packet, long deadline) {
        Objects.requireNonNull(packet, "packet");
        if (closed) {
            throw new ServiceUnavailableException("bus", "the bus is stopping; packet not accepted");
        }
        Clocks c = clocks;
        HlcClock hlc = c.hlc();
        if (hlc == null) {
            throw new ServiceUnavailableException("clock", "no TimeSource or HlcClock service is present (is the time bundle "
                    + "stopped?); packet not accepted");
        }
        long now = c.time().nowNanos();
        if (deadline != RoutingMetadata.NO_DEADLINE && deadline < now) {
            metrics.expired.increment();
            throw new TemporalViolationException("packet deadline " + deadline + " ns is " + (now - deadline)
                    + " ns in the past (time source reads " + now + " ns)");
        }
        ChannelLimits t = throttles;
        if (t != null) {
            long waited = t.admit(packet, now, deadline, timeoutOf(packet)); // throws for a guaranteed packet it cannot admit in time
            if (waited == ChannelLimits.DROP) {
                return dropThrottled(packet, hlc, now, deadline);
            } else if (waited > 0) {
                now = c.time().nowNanos();
            }
        }
        return stamp(packet, hlc, now, deadline);
    }

    /** A best-effort packet over its channel's rate limit: stamped (publish returns its id), routed nowhere, counted as dropped. */
    private long dropThrottled(PhasePacket<?> packet, HlcClock hlc, long now, long deadline) {
        long id = stamp(packet, hlc, now, deadline, true);
        if (id < 0) {
            return id; // held for its dependencies, marked drop-on-release: dropped (and counted) when they are done
        }
        metrics.dropped.increment();
        packet.expectDeliveries(owner, 0);
        if (causal.isTracking()) {
            causal.markDone(id, localNode);
        }
        return -id - 1;
    }

    private long stamp(PhasePacket<?> packet, HlcClock clock, long now, long deadline) {
        return stamp(packet, clock, now, deadline, false);
    }

    /** @param dropOnRelease a throttled best-effort packet: if held, it is dropped instead of routed on release */
    private long stamp(PhasePacket<?> packet, HlcClock clock, long now, long deadline, boolean dropOnRelease) {
        int deps = packet.causalDependencyCount();
        if (deps > 0) {
            checkDependencies(packet, clock.nodeId());
        }
        long seq = sequence.incrementAndGet();
        if (seq >= idLimit) {
            reserveIds(seq);
        }
        long id = MessageId.pack(clock.nodeId(), seq);
        long[] hlc = stampScratch.get();
        clock.nowInto(now, hlc); // no timestamp object: the packet keeps the parts
        packet.stamp(owner, id, hlc[0], hlc[1], (int) hlc[2], now, deadline);
        if ((spanSinks.length != 0 || packet.startsTrace()) && packet.trace() == null) {
            sample(packet);
        }
        if (deps > 0 && !causal.allDone(packet, clock.nodeId(), seq)) {
            if (dropOnRelease) {
                this.dropOnRelease.add(id); // before hold: the housekeeper may release it at once
            }
            if (!causal.hold(packet, settings.maxHeld(), clock.nodeId(), seq)) {
                if (dropOnRelease) {
                    this.dropOnRelease.remove(id);
                }
                throw new ResourceExhaustedException("causal holds", settings.maxHeld()
                        + " packets already wait for their dependencies; packet " + new MessageId(id) + " refused");
            }
            requestRelease();
            return -id - 1;
        }
        return id;
    }

    /**
     * Starts a trace for an untraced packet its publisher asked one for ({@code newTrace}), or with
     * probability trace.sample.ratio while a sink is present: its publish span is the root.
     */
    private void sample(PhasePacket<?> p) {
        double r = traceSampleRatio;
        if (!p.startsTrace() && (r <= 0 || (r < 1 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() >= r))) {
            return;
        }
        TraceContext root = TraceContext.newRoot();
        p.attachTrace(owner, new TraceContext(root.traceIdHigh(), root.traceIdLow(), publishSpanId(p, root), TraceContext.SAMPLED));
    }

    /** The id of a packet's publish span: derived from its message id and trace, so no state is kept per packet. */
    static long publishSpanId(PhasePacket<?> p, TraceContext tc) {
        return TraceContext.publishSpanId(p.messageIdValue(), tc);
    }

    /** Reports the publish span of a traced packet (stamping and routing; a root when the bus sampled it). */
    private void publishSpan(PhasePacket<?> p) {
        TraceContext tc = p.trace();
        if (!tc.sampled()) {
            return;
        }
        long spanId = publishSpanId(p, tc);
        long parent = tc.spanId() == spanId ? 0 : tc.spanId();
        long start = p.publishedAtNanos();
        Clocks c = clocks;
        long end = c.time() == null ? start : c.time().nowNanos();
        report(new Span(tc, spanId, parent, "publish", p.channel(), null, p.messageIdValue(), start, Math.max(0, end - start),
                null));
    }

    /** Reports the deliver (queue wait) and handler spans of a traced packet. */
    private void deliverySpans(PhasePacket<?> p, String subscription, long handlerStart, long handlerEnd, Throwable error) {
        TraceContext tc = p.trace();
        if (!tc.sampled()) {
            return;
        }
        long publishSpan = publishSpanId(p, tc);
        long deliverSpan = TraceContext.newSpanId();
        long start = p.publishedAtNanos();
        report(new Span(tc, deliverSpan, publishSpan, "deliver", p.channel(), subscription, p.messageIdValue(), start,
                Math.max(0, handlerStart - start), null));
        report(new Span(tc, TraceContext.newSpanId(), deliverSpan, "handler", p.channel(), subscription, p.messageIdValue(),
                handlerStart, Math.max(0, handlerEnd - handlerStart), error == null ? null : error.toString()));
    }

    private long traceNow() {
        Clocks c = clocks;
        return c.time() == null ? System.nanoTime() : c.time().nowNanos();
    }

    private void report(Span span) {
        for (SpanSink sink : spanSinks) {
            try {
                sink.record(span);
            } catch (RuntimeException e) {
                failureLog.warn("Span sink " + sink.getClass().getName() + " threw; span dropped", e);
            }
        }
    }

    /** Refuses a dependency on a local id not issued yet, and switches causal tracking on at first use. */
    private void checkDependencies(PhasePacket<?> packet, int node) {
        if (!causal.isTracking()) {
            causal.startTracking(() -> sequence.get() + 1, this::earlierPacketsBarrier);
        }
        long newest = sequence.get();
        for (int i = 0, n = packet.causalDependencyCount(); i < n; i++) {
            long d = packet.causalDependency(i);
            if ((int) (d >>> 48) == node && (d & MessageId.MAX_SEQUENCE) > newest) {
                throw new IllegalArgumentException("Causal dependency " + new MessageId(d) + " names a message this bus has "
                        + "not issued yet (newest is " + MessageId.pack(node, newest) + ")");
            }
        }
    }

    /** A condition that holds once everything queued or being handled now has been handed over. */
    private java.util.function.BooleanSupplier earlierPacketsBarrier() {
        List<Subscriber> subs = router.subscribers();
        List<long[]> marks = new ArrayList<>(subs.size());
        for (Subscriber s : subs) {
            marks.add(s.queue.producerMarks());
        }
        List<Dispatcher> ds = dispatchers;
        long[] passes = new long[ds.size()];
        for (int i = 0; i < passes.length; i++) {
            passes[i] = ds.get(i).passMark();
        }
        return () -> {
            for (int i = 0; i < subs.size(); i++) {
                Subscriber s = subs.get(i);
                if (s.retired.getCount() > 0 && !s.queue.consumedPast(marks.get(i))) {
                    return false;
                }
            }
            for (int i = 0; i < passes.length; i++) {
                if (!ds.get(i).finishedPassSince(passes[i])) {
                    return false;
                }
            }
            return true;
        };
    }

    private void reserveIds(long seq) {
        synchronized (sequences) {
            if (seq > MessageId.MAX_SEQUENCE) {
                throw new ResourceExhaustedException("message ids", "the 48-bit sequence space of node ids is used up");
            }
            while (seq >= idLimit) {
                long next = Math.min(idLimit + ID_BLOCK, MessageId.MAX_SEQUENCE + 1);
                try {
                    sequences.reserve(next);
                } catch (IOException e) {
                    throw new ServiceUnavailableException("bus", "cannot reserve message ids on disk (" + e.getMessage()
                            + "); packet not accepted");
                }
                idLimit = next;
            }
        }
    }

    /**
     * Offers the packet to every selected subscriber.
     *
     * @param blocking true: best effort drops, guaranteed retries (and throws when exhausted);
     *                 false: never waits, a full queue is reported
     * @return false if a queue was full (non-blocking mode only)
     */
    private boolean route(PhasePacket<?> p, boolean blocking) {
        RouteTable table = router.routeFor(p);
        long mask = p.targetMask();
        int n = table.count(mask);
        p.expectDeliveries(owner, n);
        if (n == 0) {
            if (causal.isTracking() || isForeign(p)) {
                causal.markDone(p.messageIdValue(), localNode);
            }
            return true;
        }
        boolean allQueued = true;
        List<String> failedAt = null;
        // a typed table holds only subscribers whose type the payload's class matches (Router#computeTyped)
        boolean typed = p.channel() == null;
        if (mask == -1L) {
            for (Subscriber s : table.all) {
                int r = offer(s, p, blocking, typed);
                if (r != OK) {
                    allQueued = false;
                    if (r != SKIPPED && r != FULL) {
                        failedAt = add(failedAt, s, r);
                    }
                }
            }
        } else {
            long bits = mask & table.presentBits;
            while (bits != 0) {
                for (Subscriber s : table.byBit[Long.numberOfTrailingZeros(bits)]) {
                    int r = offer(s, p, blocking, typed);
                    if (r != OK) {
                        allQueued = false;
                        if (r != SKIPPED && r != FULL) {
                            failedAt = add(failedAt, s, r);
                        }
                    }
                }
                bits &= bits - 1;
            }
        }
        if (failedAt != null) {
            throw new DeliveryFailedException(p.messageIdValue(), "queue full at " + String.join(", ", failedAt) + " after "
                    + retriesOf(p) + " retries within " + TimeUnit.NANOSECONDS.toMillis(timeoutOf(p)) + " ms");
        }
        return allQueued;
    }

    private static List<String> add(List<String> list, Subscriber s, int result) {
        List<String> l = list == null ? new ArrayList<>(2) : list;
        long entry = result - FAILED;
        l.add(s.subscriptionId + (entry >= 0 ? " (dead-letter log entry " + entry + ")"
                : entry == -2 ? " (in the dead-letter log: written to a side file after the log stopped; its entry number is "
                        + "assigned when the log imports it)"
                : " (NOT in the dead-letter log: it could not be written, see the bus log)"));
        return l;
    }

    private static final int OK = 0;
    private static final int SKIPPED = 1;
    private static final int FULL = 2;
    /** FAILED + n: failed, dead-letter entry n; FAILED - 1: failed and not recorded; FAILED - 2: recorded late (side file). */
    private static final int FAILED = 1 << 20;

    /** @param typed whether {@code s} comes from a typed route table, where its type is known to match */
    private int offer(Subscriber s, PhasePacket<?> p, boolean blocking, boolean typed) {
        if (!typed && !s.typeMatches(p)) {
            finished(p);
            return OK;
        }
        if (s.filter != null) {
            boolean accepted;
            try {
                accepted = s.filter.test(p);
            } catch (RuntimeException e) {
                metrics.failed.increment();
                failureLog.warn("Filter of " + s + " threw on packet " + p.messageId() + ": " + e, null);
                deadLetter(p, "filter of " + s.subscriptionId + " threw " + e, s.subscriptionId, e);
                finished(p);
                return SKIPPED;
            }
            if (!accepted) {
                finished(p);
                return OK;
            }
        }
        if (s.direct) {
            deliverNow((DirectSubscriber) s, p);
            return OK;
        }
        if (s.queue.offer(p)) {
            afterOffer(s);
            return OK;
        }
        if (!blocking) {
            finished(p);
            return FULL;
        }
        if (!p.delivery().isGuaranteed()) {
            metrics.dropped.increment();
            s.dropped.incrementAndGet();
            finished(p);
            return SKIPPED;
        }
        if (retryOffer(s, p)) {
            return OK;
        }
        metrics.failed.increment();
        String why = s.closed ? s.subscriptionId + " closed (" + s.reasonClosed() + ") while a retry waited for room"
                : closed ? "the bus stopped while a retry waited for room at " + s.subscriptionId
                : "retries exhausted for " + s.subscriptionId + " (queue full)";
        long entry = deadLetter(p, why, s.subscriptionId, null);
        finished(p);
        return entry >= 0 ? (int) Math.min(FAILED + entry, Integer.MAX_VALUE)
                : entry == DeadLetterSink.RECORDED_LATE ? FAILED - 2 : FAILED - 1;
    }

    /**
     * Same-thread delivery: calls the handler here, on the publisher's thread. A handler that
     * throws is counted and its packet dead-lettered, as on a dispatcher; the publisher is not
     * told. A closed subscription gets nothing: guaranteed packets go to the dead-letter log, best
     * effort ones are counted as dropped (what a queued subscription does with what it still holds).
     */
    private void deliverNow(DirectSubscriber s, PhasePacket<?> p) {
        boolean delivered = false;
        if (s.enter()) {
            long traceStart = p.trace() != null && spanSinks.length != 0 ? traceNow() : -1;
            try {
                @SuppressWarnings("unchecked")
                PhasePacket<Object> packet = (PhasePacket<Object>) p;
                s.handler.onPacket(packet);
                delivered = true;
                if (traceStart >= 0) {
                    deliverySpans(p, String.valueOf(s.subscriptionId), traceStart, traceNow(), null);
                }
            } catch (Throwable t) {
                if (traceStart >= 0) {
                    deliverySpans(p, String.valueOf(s.subscriptionId), traceStart, traceNow(), t);
                }
                metrics.failed.increment();
                failureLog.warn("Handler " + s.handler.getClass().getName() + " of " + s + " threw on packet "
                        + p.messageId() + "; packet dead-lettered", t);
                deadLetter(p, "handler of " + s.subscriptionId + " threw " + t, s.subscriptionId, t);
            } finally {
                s.exit(delivered);
            }
        } else {
            s.exit(false);
            if (p.delivery().isGuaranteed()) {
                metrics.failed.increment();
                deadLetter(p, s.subscriptionId + " closed (" + s.reasonClosed() + ") before the packet was delivered", s.subscriptionId,
                        null);
            } else {
                metrics.dropped.increment();
                s.dropped.incrementAndGet();
            }
        }
        finished(p);
    }

    /** After a successful offer: wake the consumer, or, if the subscription closed meanwhile, make sure the packet is not stranded. */
    private void afterOffer(Subscriber s) {
        WaitStrategy.Waker w = s.waker; // a field, not a virtual call: publishers do this for every offer
        if (w != null) {
            w.wake();
        }
        if (s.closed && s.token.tryAcquire()) {
            finalDrain(s);
        }
    }

    private int retriesOf(PhasePacket<?> p) {
        int r = p.delivery().maxRetries();
        return r == 0 ? settings.defaultRetries() : r;
    }

    private long timeoutOf(PhasePacket<?> p) {
        long t = p.delivery().timeoutNanos();
        return t == 0 ? settings.defaultTimeoutNanos() : t;
    }

    /** Retries spread over the timeout; the consumer is woken before each pause. */
    private boolean retryOffer(Subscriber s, PhasePacket<?> p) {
        int retries = retriesOf(p);
        long end = System.nanoTime() + timeoutOf(p);
        for (int attempt = 1; attempt <= retries; attempt++) {
            long remaining = end - System.nanoTime();
            if (remaining <= 0 || closed || s.closed) {
                break;
            }
            s.wakeConsumer();
            LockSupport.parkNanos(Math.max(1_000, remaining / (retries - attempt + 1)));
            metrics.retried.increment();
            if (s.queue.offer(p)) {
                afterOffer(s);
                return true;
            }
        }
        return false;
    }

    /**
     * One delivery of the packet is over (handed over, dropped or failed). Small enough to inline
     * everywhere: two reads when causal tracking is off and the packet is this node's own.
     */
    private void finished(PhasePacket<?> p) {
        if (causal.isTracking() || isForeign(p)) {
            countDown(p);
        }
    }

    private void countDown(PhasePacket<?> p) {
        if (p.deliveryDone(owner) == 0) {
            causal.markDone(p.messageIdValue(), localNode);
        }
    }

    /**
     * Records a failed packet in the dead-letter log (or the buffer while there is none) and
     * offers a copy to the dead-letter channel for live observers (never blocking, never recursively).
     *
     * @return the log entry, or {@link DeadLetterSink#NOT_RECORDED} (also while only buffered)
     */
    long deadLetter(PhasePacket<?> p, String reason, SubscriptionId subscriber, Throwable cause) {
        metrics.deadLettered.increment();
        DeadLetterSink sink = deadLetters;
        long entry = DeadLetterSink.NOT_RECORDED;
        if (sink != null) {
            entry = sink.record(p, reason, subscriber, cause);
            if (entry == DeadLetterSink.NOT_RECORDED) {
                deadLettersLost.incrementAndGet();
                LOG.error("Packet {} ({}) could not be written to the dead-letter log: {}", p.messageId(), p.channel(), reason);
            }
        } else if (pendingDeadLetterCount.incrementAndGet() <= MAX_PENDING_DEAD_LETTERS) {
            pendingDeadLetters.add(new PendingDeadLetter(p, reason, subscriber, cause));
            failureLog.warn("No dead-letter log is attached; packet " + p.messageId() + " kept in memory until one is ("
                    + reason + ")", null);
            DeadLetterSink late = deadLetters;
            if (late != null) {
                flushPendingDeadLetters(late);
            }
        } else {
            pendingDeadLetterCount.decrementAndGet();
            deadLettersLost.incrementAndGet();
            LOG.error("No dead-letter log is attached and {} packets are buffered already; packet {} ({}) is lost: {}",
                    MAX_PENDING_DEAD_LETTERS, p.messageId(), p.channel(), reason);
        }
        if (!Channels.DEAD_LETTER.equals(p.channel()) && !closed && clocks.hlc() != null) {
            PhasePacket<DeadLetter> letter = PhasePacket.builder(new DeadLetter(p, reason, subscriber, cause))
                    .channel(Channels.DEAD_LETTER).priority(p.priority()).build();
            try {
                tryPublish(letter);
            } catch (RuntimeException e) {
                failureLog.warn("Could not publish dead letter for " + p.messageId() + ": " + e, null);
            }
        }
        return entry;
    }

    private void flushPendingDeadLetters(DeadLetterSink sink) {
        PendingDeadLetter d;
        int n = 0;
        while ((d = pendingDeadLetters.poll()) != null) {
            pendingDeadLetterCount.decrementAndGet();
            if (sink.record(d.packet(), d.reason(), d.subscriber(), d.cause()) == DeadLetterSink.NOT_RECORDED) {
                deadLettersLost.incrementAndGet();
            }
            n++;
        }
        if (n > 0) {
            LOG.info("{} buffered dead letters written to the dead-letter log", n);
        }
    }

    // ---------------------------------------------------------------- consuming

    /** The time source in force (a monotonic stand-in while no clock is present). */
    TimeSource timeSource() {
        return clocks.time();
    }

    /**
     * Delivers up to {@code max} queued packets of a handler subscription; returns how many were
     * taken. Token holder only.
     *
     * @param ts        the time source, read for each packet's delivery time
     * @param firstTime a reading of {@code ts} taken just before this call, to use as the first
     *                  packet's delivery time, or {@link Dispatcher#NO_TIME} to read the clock
     */
    int drain(HandlerSubscriber s, int max, LatencyHistogram latency, TimeSource ts, long firstTime) {
        int n = 0;
        long fresh = firstTime;
        PhasePacket<?> p;
        while (n < max) {
            if (s.closed && s.drainTimeUp(System.nanoTime())) {
                break; // closed and its drain time is up: the rest goes to the dead-letter log
            }
            if ((p = s.queue.relaxedPoll()) == null) {
                break;
            }
            n++;
            long now;
            if (fresh != Dispatcher.NO_TIME) {
                now = fresh;
                fresh = Dispatcher.NO_TIME;
            } else {
                now = ts.nowNanos();
            }
            if (p.hasDeadline() && now > p.deadlineNanos()) {
                expiredInQueue(p, s);
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                PhasePacket<Object> packet = (PhasePacket<Object>) p;
                s.handler.onPacket(packet);
                s.countDelivered();
                if (p.trace() != null && spanSinks.length != 0) {
                    deliverySpans(p, String.valueOf(s.subscriptionId), now, ts.nowNanos(), null);
                }
            } catch (Throwable t) {
                handlerThrew(s, p, t, now, ts);
            }
            if (Thread.interrupted()) {
                metrics.interruptsCleared.increment(); // a handler's interrupt must not reach the next handler or the wait
            }
            // publish-to-handler latency, as read before the call; recorded after it so the handler gets the packet sooner
            latency.record(now - p.publishedAtNanos());
            finished(p);
        }
        return n;
    }

    private void handlerThrew(HandlerSubscriber s, PhasePacket<?> p, Throwable t, long now, TimeSource ts) {
        if (p.trace() != null && spanSinks.length != 0) {
            deliverySpans(p, String.valueOf(s.subscriptionId), now, ts.nowNanos(), t);
        }
        metrics.failed.increment();
        failureLog.warn("Handler " + s.handler.getClass().getName() + " of " + s + " threw on packet "
                + p.messageId() + "; packet dead-lettered", t);
        deadLetter(p, "handler of " + s.subscriptionId + " threw " + t, s.subscriptionId, t);
    }

    private void expiredInQueue(PhasePacket<?> p, Subscriber s) {
        metrics.expired.increment();
        if (p.delivery().isGuaranteed()) {
            deadLetter(p, "deadline passed while queued for " + s.subscriptionId, s.subscriptionId, null);
        }
        finished(p);
    }

    /** The next deliverable packet for a receiver, or null. Token holder only. */
    PhasePacket<?> takeFor(ReceiverImpl<?> r) {
        PhasePacket<?> p;
        TimeSource ts = clocks.time();
        while ((p = r.queue.poll()) != null) {
            long now = ts.nowNanos();
            if (p.hasDeadline() && now > p.deadlineNanos()) {
                expiredInQueue(p, r);
                continue;
            }
            metrics.recordReceiverLatency(now - p.publishedAtNanos());
            r.countDelivered();
            finished(p);
            return p;
        }
        return null;
    }

    /**
     * Empties a closed subscription's queue for good: guaranteed packets to the dead-letter log,
     * the rest counted as dropped. The caller holds the token; it is released here, and taken
     * back (and the queue emptied again) as long as packets keep arriving from publishers that
     * raced the close.
     */
    void finalDrain(Subscriber s) {
        String why = s.subscriptionId + " closed (" + s.reasonClosed() + ") with the packet still queued";
        int total = 0;
        int guaranteed = 0;
        do {
            PhasePacket<?> p;
            while ((p = s.queue.poll()) != null) {
                total++;
                if (p.delivery().isGuaranteed()) {
                    guaranteed++;
                    metrics.failed.increment();
                    deadLetter(p, why, s.subscriptionId, null);
                } else {
                    metrics.dropped.increment();
                    s.dropped.incrementAndGet();
                }
                finished(p);
            }
            s.token.release();
        } while (!s.queue.isEmpty() && s.token.tryAcquire());
        if (closing.remove(s)) {
            retiredDelivered.addAndGet(s.delivered());
        }
        s.retired.countDown();
        if (total > 0) {
            LOG.warn("{} {} with {} packets queued ({} guaranteed, dead-lettered; {} best effort, dropped)", s,
                    s.reasonClosed(), total, guaranteed, total - guaranteed);
        }
    }

    // ---------------------------------------------------------------- subscribing

    @Override
    public <T> Receiver<T> subscribe(Subscription<T> subscription) {
        Objects.requireNonNull(subscription, "subscription");
        ensureOpen();
        @SuppressWarnings("unchecked")
        Predicate<PhasePacket<?>> filter = (Predicate<PhasePacket<?>>) (Predicate<?>) subscription.filter();
        int component = subscription.componentId() == null ? -1 : subscription.componentId().value();
        ReceiverImpl<T> r = new ReceiverImpl<>(this, subscriptionIds.incrementAndGet(), subscription.type(),
                subscription.channel(), component, filter, settings.queueCapacity(), "api");
        router.add(r);
        if (closed) {
            closeSubscriber(r, "the bus stopped", 0, false);
        }
        return r;
    }

    /**
     * Subscribes a whiteboard handler.
     *
     * @param componentId 0..63, or -1 for none
     */
    SubscriptionId addHandler(PacketHandler<?> handler, Class<?> type, String channel, int componentId, String owner) {
        return addHandler(handler, type, channel, componentId, owner, false);
    }

    /**
     * @param sameThread true: the handler is called on each publisher's thread inside {@code publish}
     *                   (no queue, no dispatcher); false: queued and called by a dispatcher
     */
    SubscriptionId addHandler(PacketHandler<?> handler, Class<?> type, String channel, int componentId, String owner,
            boolean sameThread) {
        ensureOpen();
        if (channel != null) {
            Channels.requireValid(channel);
        }
        if (componentId < -1 || componentId >= ComponentId.MAX_COMPONENTS) {
            throw new IllegalArgumentException("component id " + componentId + " is out of range 0..63");
        }
        if (sameThread) {
            DirectSubscriber d = new DirectSubscriber(subscriptionIds.incrementAndGet(), type, channel, componentId, handler, owner);
            router.add(d);
            if (closed) {
                closeSubscriber(d, "the bus stopped", 0, false);
            }
            return d.subscriptionId;
        }
        HandlerSubscriber s = new HandlerSubscriber(subscriptionIds.incrementAndGet(), type, channel, componentId, handler,
                settings.queueCapacity(), owner);
        assign(s);
        router.add(s);
        if (closed) {
            closeSubscriber(s, "the bus stopped", 0, false);
        }
        return s.subscriptionId;
    }

    private void ensureOpen() {
        if (closed) {
            throw new ServiceUnavailableException("bus", "the bus is stopping; no new subscriptions");
        }
    }

    @Override
    public void unsubscribe(SubscriptionId id) {
        Objects.requireNonNull(id, "id");
        for (Subscriber s : router.subscribers()) {
            if (s.id == id.value()) {
                closeSubscriber(s, "unsubscribed", settings.shutdownTimeoutNanos(), true);
                return;
            }
        }
        throw new SubscriptionNotFoundException(id.value());
    }

    /**
     * Closes a subscription: no new packets are routed to it, and the holder of its token
     * delivers what is queued for up to {@code drainNanos} (handlers) and dead-letters the rest.
     *
     * @param wait whether to wait (up to the drain time and a little more) until that is done; a
     *             dispatcher never waits for itself
     */
    void closeSubscriber(Subscriber s, String reason, long drainNanos, boolean wait) {
        closeSubscriber(s, reason, drainNanos, wait, true);
    }

    /**
     * @param unroute whether to take it out of the routes; a stopping bus keeps them, so a publish
     *                racing the stop still finds its subscribers (closed: the packet is delivered in
     *                the drain time or dead-lettered) instead of being accepted with nobody to route to
     */
    private void closeSubscriber(Subscriber s, String reason, long drainNanos, boolean wait, boolean unroute) {
        if (!s.markClosed(reason, drainNanos)) {
            return;
        }
        closing.add(s);
        if (unroute) {
            router.remove(s);
        }
        s.wakeConsumer();
        if (s instanceof HandlerSubscriber h) {
            Dispatcher d = h.dispatcher;
            if (d != null) {
                d.requestMaintenance();
            }
            if (wait && (d == null || !d.isCurrentThread())) {
                awaitRetired(s, drainNanos);
            }
        } else if (s instanceof DirectSubscriber d) {
            // calls in progress on publisher threads end first (a handler is never called after its unsubscription returns)
            if (!d.awaitIdle(drainNanos + TimeUnit.SECONDS.toNanos(2))) {
                LOG.warn("{} is still in a same-thread handler call {} ms after it was closed", s,
                        TimeUnit.NANOSECONDS.toMillis(drainNanos) + 2000);
            }
            if (s.token.tryAcquire()) {
                finalDrain(s);
            }
        } else if (s.token.tryAcquire()) {
            finalDrain(s); // a receiver not being polled now; otherwise its poller does this when it returns
        }
    }

    private void awaitRetired(Subscriber s, long drainNanos) {
        try {
            long waitMs = TimeUnit.NANOSECONDS.toMillis(drainNanos) + 2000;
            if (!s.awaitRetired(waitMs, TimeUnit.MILLISECONDS)) {
                LOG.warn("{} is still in a handler call {} ms after it was closed; what is still queued goes to the "
                        + "dead-letter log when that call returns", s, waitMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<SubscriptionInfo> activeSubscriptions() {
        List<SubscriptionInfo> list = new ArrayList<>();
        for (Subscriber s : router.subscribers()) {
            list.add(s.info());
        }
        return list;
    }

    @Override
    public int subscriptionCount() {
        return router.subscribers().size();
    }

    @Override
    public Map<String, Integer> subscriptionCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Subscriber s : router.subscribers()) {
            counts.merge(s.channel != null ? "channel:" + s.channel : s.type.getName(), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public int subscriberCount(Class<?> type) {
        Objects.requireNonNull(type, "type");
        int n = 0;
        for (Subscriber s : router.subscribers()) {
            if (s.channel == null && s.type.isAssignableFrom(type)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int subscriberCount(String channel) {
        int n = 0;
        for (Subscriber s : router.subscribers()) {
            if (channel.equals(s.channel)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public Set<String> channels() {
        return router.channels();
    }

    @Override
    public void linkChannels(String from, String to) {
        router.link(from, to);
    }

    @Override
    public boolean unlinkChannels(String from, String to) {
        return router.unlink(from, to);
    }

    @Override
    public Map<String, Set<String>> channelLinks() {
        return router.links();
    }

    /** Makes a channel known (e.g. one the console is about to link before anyone subscribes). */
    void declareChannel(String channel) {
        router.declare(channel);
    }

    // ---------------------------------------------------------------- statistics and health

    private long totalDelivered() {
        long n = retiredDelivered.get();
        for (Subscriber s : router.subscribers()) {
            if (!s.closed) { // closed ones are counted below (closing) or in retiredDelivered
                n += s.delivered();
            }
        }
        for (Subscriber s : closing) {
            n += s.delivered();
        }
        return n;
    }

    /** Packets issued an id by this bus. */
    private long published() {
        return sequence.get() - firstSequence + 1;
    }

    @Override
    public BusStats stats() {
        return metrics.snapshot(published(), totalDelivered(), subscriptionCount(), clocks.time()::nowNanos,
                settings.throughputWindowNanos());
    }

    @Override
    public boolean isHealthy() {
        return healthCheck().healthy();
    }

    /** Deliveries the sliding window must hold before the latency and capacity targets are judged. */
    static final long HEALTH_MIN_DELIVERIES = 100;

    @Override
    public BusHealth healthCheck() {
        BusStats s = stats();
        Settings cfg = settings;
        List<String> warnings = new ArrayList<>();
        long windowS = TimeUnit.NANOSECONDS.toSeconds(s.windowNanos());
        // The latency and capacity targets are judged only over a window with enough deliveries: at a
        // packet a second a parked dispatcher's wake-up and handlers running in the interpreter (never
        // warm) dominate, which says nothing about how the bus would carry load.
        boolean judged = metrics.recentDeliveries() >= HEALTH_MIN_DELIVERIES;
        if (judged && s.recentAvgLatencyNanos() > cfg.healthMaxAvgLatencyNanos()) {
            warnings.add("Average latency " + s.recentAvgLatencyNanos() + " ns over the last " + windowS + " s exceeds the "
                    + cfg.healthMaxAvgLatencyNanos() + " ns target");
        }
        long capacity = metrics.recentCapacityPerSecond();
        if (judged && capacity >= 0 && capacity < cfg.healthMinCapacity()) {
            warnings.add("Dispatch capacity " + capacity + " packets/s (cost per delivery over the last " + windowS
                    + " s) is below the " + cfg.healthMinCapacity() + " packets/s target");
        }
        if (closed) {
            warnings.add("The bus is stopping");
        }
        if (clocks.hlc() == null) {
            warnings.add("No time source or HLC is present: publishing is refused until one is");
        }
        if (deadLetters == null) {
            warnings.add("No dead-letter log is attached; " + pendingDeadLetterCount.get() + " dead letters wait in memory");
        }
        long lost = deadLettersLost.get();
        if (lost > 0) {
            warnings.add(lost + " dead letters could not be written to the dead-letter log (see the bus log)");
        }
        return new BusHealth(warnings.isEmpty(), s, warnings, clocks.time().nowNanos());
    }

    @Override
    public HealthReport health() {
        BusHealth h = healthCheck();
        long capacity = metrics.recentCapacityPerSecond();
        String summary = h.stats().activeSubscriptions() + " subscriptions, " + h.stats().published() + " published, avg "
                + h.stats().recentAvgLatencyNanos() + " ns over " + TimeUnit.NANOSECONDS.toSeconds(h.stats().windowNanos())
                + " s" + (capacity >= 0 ? ", capacity " + capacity + "/s" : "") + ", causal tracking "
                + (causal.isTracking() ? "on" : "off") + ", " + causal.heldCount() + " held";
        return h.healthy() ? HealthReport.up(summary) : HealthReport.degraded(summary, h.warnings());
    }

    // ---------------------------------------------------------------- housekeeping and shutdown

    private void requestRelease() {
        releaseRequested = true;
        housekeeperWaker.wake();
    }

    /**
     * Releases held packets when a dependency they wait for is done (woken then) or when one of
     * them expires (parks until the earliest deadline), folds statistics once a second, and
     * reserves message ids ahead of use. Otherwise it parks: nothing is walked in a loop.
     */
    private void housekeep() {
        long nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long nextHeldWalk = Long.MAX_VALUE;
        while (!closed) {
            try {
                long nowMono = System.nanoTime();
                if (releaseRequested || (causal.heldCount() > 0 && nowMono - nextHeldWalk >= 0)) {
                    releaseRequested = false;
                    long earliest = releaseHeld();
                    nextHeldWalk = nowMono + (causal.barrierPending() ? TimeUnit.MILLISECONDS.toNanos(1) : HOUSEKEEPING_IDLE_NANOS);
                    if (earliest != RoutingMetadata.NO_DEADLINE) {
                        long untilExpiry = Math.max(0, earliest - clocks.time().nowNanos()) + 1;
                        nextHeldWalk = Math.min(nextHeldWalk, nowMono + untilExpiry);
                    }
                }
                if (nowMono - nextSample >= 0) {
                    metrics.collect();
                    metrics.sample(nowMono, totalDelivered(), settings.throughputWindowNanos());
                    metrics.retireStopped();
                    nextSample = nowMono + TimeUnit.SECONDS.toNanos(1);
                }
                if (sequence.get() > idLimit - ID_BLOCK / 2) {
                    try {
                        reserveIds(idLimit);
                    } catch (RuntimeException e) {
                        failureLog.warn("Could not reserve message ids ahead: " + e.getMessage(), null);
                    }
                }
                long wait = nextSample - System.nanoTime();
                if (causal.heldCount() > 0) {
                    wait = Math.min(wait, nextHeldWalk - System.nanoTime());
                }
                housekeeperWaker.prepare();
                if (!releaseRequested && !closed && wait > 0) {
                    housekeeperWaker.await(Math.min(wait, HOUSEKEEPING_IDLE_NANOS));
                } else {
                    housekeeperWaker.cancel();
                }
                Thread.interrupted();
            } catch (RuntimeException e) {
                LOG.error("Bus housekeeping failed; continuing", e);
            }
        }
    }

    private long releaseHeld() {
        HlcClock clock = clocks.hlc();
        if (clock != null) {
            lastNodeId = clock.nodeId();
        }
        return causal.releaseReady(clocks.time().nowNanos(), lastNodeId, sequence.get(), p -> {
            if (!dropOnRelease.isEmpty() && dropOnRelease.remove(p.messageIdValue())) {
                p.expectDeliveries(owner, 0); // refused by its channel's rate limit while it waited: routed to nobody
                causal.markDone(p.messageIdValue(), lastNodeId);
                metrics.dropped.increment();
                return;
            }
            try {
                route(p, true);
            } catch (DeliveryFailedException e) {
                failureLog.warn("Released packet " + p.messageId() + " could not be delivered everywhere: " + e.getMessage(),
                        null);
            }
        }, (p, why) -> {
            if (!dropOnRelease.isEmpty()) {
                dropOnRelease.remove(p.messageIdValue());
            }
            metrics.expired.increment();
            if (p.delivery().isGuaranteed()) {
                deadLetter(p, why, null, null);
            }
            causal.markDone(p.messageIdValue(), lastNodeId);
        });
    }

    /**
     * Stops the bus: refuses new packets (ServiceUnavailableException), closes every
     * subscription, lets dispatchers deliver what is queued for up to the shutdown timeout, and
     * dead-letters every guaranteed packet still queued or held. Receivers are closed with the
     * reason "the bus stopped".
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeperWaker.wake();
        long drain = settings.shutdownTimeoutNanos();
        long deadline = System.nanoTime() + drain;
        for (Subscriber s : router.subscribers()) {
            closeSubscriber(s, "the bus stopped", drain, false, false);
        }
        dropOnRelease.clear();
        causal.drainAll(p -> {
            if (p.delivery().isGuaranteed()) {
                metrics.failed.increment();
                deadLetter(p, "still waiting for its causal dependencies when the bus stopped", null, null);
            } else {
                metrics.dropped.increment();
            }
        });
        List<Dispatcher> ds;
        synchronized (dispatchLock) {
            ds = dispatchers;
            for (Dispatcher d : ds) {
                d.stopWhenEmpty();
            }
        }
        for (Dispatcher d : ds) {
            try {
                long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 2000);
                if (!d.join(waitMs)) {
                    LOG.warn("Dispatcher {} still busy in a handler after the shutdown timeout; its queued packets go to the "
                            + "dead-letter log when the call returns", d);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            housekeeper.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            synchronized (sequences) {
                sequences.close(sequence.get() + 1);
            }
        } catch (IOException e) {
            LOG.warn("Could not record the last message id on disk ({}); the next bus skips ahead", e.getMessage());
        }
        metrics.retireStopped();
        BusStats last = metrics.snapshot(published(), totalDelivered(), 0, clocks.time()::nowNanos,
                settings.throughputWindowNanos());
        LOG.info("Bus stopped: {} published, {} delivered, {} dropped, {} expired, {} failed, {} dead-lettered",
                last.published(), last.delivered(), last.dropped(), last.expired(), last.failed(), last.deadLettered());
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Stands in for the time source while none is present: monotonic, continuing from the last
     * reading, so deadlines and latency still make sense for packets already queued.
     */
    private static final class FallbackTime implements TimeSource {
        private final long base;
        private final long mono = System.nanoTime();

        FallbackTime(long lastReading) {
            this.base = lastReading;
        }

        @Override
        public long nowNanos() {
            return base + (System.nanoTime() - mono);
        }

        @Override
        public boolean hasHardwareTiming() {
            return false;
        }

        @Override
        public String kind() {
            return "none";
        }

        @Override
        public io.chronofabric.api.time.QuantumOffset quantumOffset() {
            return io.chronofabric.api.time.QuantumOffset.NONE;
        }

        @Override
        public io.chronofabric.api.time.TimeCheckpoint createCheckpoint(String name) {
            return new io.chronofabric.api.time.TimeCheckpoint(name, nowNanos(), 0, System.identityHashCode(this));
        }

        @Override
        public boolean validateCoherence(io.chronofabric.api.time.TimeCheckpoint from,
                io.chronofabric.api.time.TimeCheckpoint to) {
            return false;
        }
    }
}
