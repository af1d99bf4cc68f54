package io.chronofabric.bus.internal;

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
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.SubscriptionNotFoundException;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Phase Coherence Bus, independent of OSGi (the DS component {@link BusComponent} wraps it).
 *
 * <p>Publish path, lock-free: stamp (message id from an atomic sequence, HLC timestamp, time of
 * publish), check the deadline, hold if causal dependencies are not done, look up the
 * {@link RouteTable} for the channel or payload class, and offer the one packet instance to the
 * lane queue of each selected subscriber. A full queue drops (best effort) or retries with
 * back-off until the packet's retries or timeout run out (guaranteed), then dead-letters and tells
 * the publisher. Consumers (dispatcher threads for handlers, the owner's thread for receivers)
 * check the deadline again, record latency and hand the packet over.
 */
public class PhaseCoherenceBus implements EventBus, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(PhaseCoherenceBus.class);
    private static final long HOUSEKEEPING_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long HOUSEKEEPING_HELD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    final BusMetrics metrics = new BusMetrics();
    private final Router router = new Router();
    private final CausalTracker causal;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong subscriptionIds = new AtomicLong();
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, 1, TimeUnit.SECONDS);
    private final WaitStrategy.Waker housekeeperWaker = new WaitStrategy.Waker();
    private final Thread housekeeper;
    private final Object dispatchLock = new Object();
    private volatile TimeSource time;
    private volatile HlcClock hlc;
    private volatile Settings settings;
    private volatile List<Dispatcher> dispatchers = List.of();
    private volatile boolean closed;
    private volatile boolean releaseRequested;
    private final AtomicLong retiredDelivered = new AtomicLong();
    private int dispatcherGeneration;

    public PhaseCoherenceBus(Settings settings, TimeSource time, HlcClock hlc) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.time = Objects.requireNonNull(time, "time");
        this.hlc = Objects.requireNonNull(hlc, "hlc");
        this.causal = new CausalTracker(this::requestRelease);
        startDispatchers(settings.dispatcherThreads());
        this.housekeeper = new Thread(this::housekeep, "chronofabric-bus-housekeeper");
        this.housekeeper.setDaemon(true);
        this.housekeeper.start();
    }

    // ---------------------------------------------------------------- configuration

    void setTimeSource(TimeSource ts) {
        this.time = Objects.requireNonNull(ts);
    }

    void setHlc(HlcClock clock) {
        this.hlc = Objects.requireNonNull(clock);
    }

    Settings settings() {
        return settings;
    }

    WaitStrategy waitStrategy() {
        return settings.waitStrategy();
    }

    /** Applies new settings; queue capacity applies to new subscriptions. */
    void reconfigure(Settings next) {
        Settings prev = settings;
        settings = next;
        if (next.dispatcherThreads() != prev.dispatcherThreads()) {
            startDispatchers(next.dispatcherThreads());
        }
        for (Dispatcher d : dispatchers) {
            d.waker.wake();
        }
    }

    /** Replaces the dispatcher set, moving handler subscriptions over once each old thread has stopped. */
    private void startDispatchers(int count) {
        synchronized (dispatchLock) {
            List<Dispatcher> old = dispatchers;
            List<HandlerSubscriber> moving = new ArrayList<>();
            for (Dispatcher d : old) {
                d.stop(System.nanoTime());
            }
            for (Dispatcher d : old) {
                try {
                    if (!d.join(10_000)) {
                        LOG.warn("Dispatcher {} did not stop within 10 s; its handlers move anyway", d);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                moving.addAll(List.of(d.subscribers()));
                metrics.retire(d);
            }
            dispatcherGeneration++;
            List<Dispatcher> fresh = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Dispatcher d = new Dispatcher(this, "chronofabric-bus-dispatch-" + dispatcherGeneration + "-" + i);
                metrics.register(d);
                fresh.add(d);
            }
            dispatchers = List.copyOf(fresh);
            for (HandlerSubscriber s : moving) {
                leastLoaded().add(s);
            }
            for (Dispatcher d : fresh) {
                d.start();
            }
        }
    }

    private Dispatcher leastLoaded() {
        Dispatcher best = null;
        for (Dispatcher d : dispatchers) {
            if (best == null || d.load() < best.load()) {
                best = d;
            }
        }
        return best;
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
        if (closed) {
            return PublishStatus.CLOSED;
        }
        long deadline = packet.routing().deadlineNanos();
        long now = time.nowNanos();
        if (deadline != RoutingMetadata.NO_DEADLINE && deadline < now) {
            metrics.expired.increment();
            return PublishStatus.EXPIRED;
        }
        long id = stamp(packet, now, deadline);
        if (id < 0) {
            return PublishStatus.ACCEPTED;
        }
        return route(packet, false) ? PublishStatus.ACCEPTED : PublishStatus.QUEUE_FULL;
    }

    /**
     * Stamps the packet after checking the bus and the deadline.
     *
     * @return the message id, or {@code -(id + 1)} when the packet was held for its dependencies
     */
    private long accept(PhasePacket<?> packet, long deadline) {
        Objects.requireNonNull(packet, "packet");
        if (closed) {
            throw new ResourceExhaustedException("bus", "the bus is stopping; packet not accepted");
        }
        long now = time.nowNanos();
        if (deadline != RoutingMetadata.NO_DEADLINE && deadline < now) {
            metrics.expired.increment();
            throw new TemporalViolationException("packet deadline " + deadline + " ns is " + (now - deadline)
                    + " ns in the past (time source reads " + now + " ns)");
        }
        return stamp(packet, now, deadline);
    }

    private long stamp(PhasePacket<?> packet, long now, long deadline) {
        HlcClock clock = hlc;
        long seq = sequence.incrementAndGet();
        long id = MessageId.pack(clock.nodeId(), seq);
        packet.stamp(id, clock.now(now), now, deadline);
        if (packet.causalDependencyCount() > 0 && !causal.allDone(packet, clock.nodeId(), seq)) {
            if (!causal.hold(packet, settings.maxHeld())) {
                throw new ResourceExhaustedException("causal holds", settings.maxHeld()
                        + " packets already wait for their dependencies; packet " + new MessageId(id) + " refused");
            }
            requestRelease();
            return -id - 1;
        }
        return id;
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
        p.expectDeliveries(n);
        if (n == 0) {
            causal.markDone(p.messageIdValue());
            return true;
        }
        boolean allQueued = true;
        List<SubscriptionId> failedAt = null;
        if (mask == -1L) {
            for (Subscriber s : table.all) {
                int r = offer(s, p, blocking);
                if (r != OK) {
                    allQueued = false;
                    if (r == FAILED) {
                        failedAt = add(failedAt, s.subscriptionId);
                    }
                }
            }
        } else {
            long bits = mask & table.presentBits;
            while (bits != 0) {
                for (Subscriber s : table.byBit[Long.numberOfTrailingZeros(bits)]) {
                    int r = offer(s, p, blocking);
                    if (r != OK) {
                        allQueued = false;
                        if (r == FAILED) {
                            failedAt = add(failedAt, s.subscriptionId);
                        }
                    }
                }
                bits &= bits - 1;
            }
        }
        if (failedAt != null) {
            throw new DeliveryFailedException(p.messageIdValue(), "queue full at " + failedAt + " after "
                    + retriesOf(p) + " retries within " + TimeUnit.NANOSECONDS.toMillis(timeoutOf(p))
                    + " ms; dead-lettered to " + Channels.DEAD_LETTER);
        }
        return allQueued;
    }

    private static List<SubscriptionId> add(List<SubscriptionId> list, SubscriptionId id) {
        List<SubscriptionId> l = list == null ? new ArrayList<>(2) : list;
        l.add(id);
        return l;
    }

    private static final int OK = 0;
    private static final int SKIPPED = 1;
    private static final int FULL = 2;
    private static final int FAILED = 3;

    private int offer(Subscriber s, PhasePacket<?> p, boolean blocking) {
        if (!s.typeMatches(p)) {
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
        if (s.queue.offer(p)) {
            s.wakeConsumer();
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
        deadLetter(p, "retries exhausted for " + s.subscriptionId + " (queue full)", s.subscriptionId, null);
        finished(p);
        return FAILED;
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
                s.wakeConsumer();
                return true;
            }
        }
        return false;
    }

    private void finished(PhasePacket<?> p) {
        if (p.deliveryDone() == 0) {
            causal.markDone(p.messageIdValue());
        }
    }

    /** Sends a failed packet to the dead-letter channel (never blocking, never recursively). */
    void deadLetter(PhasePacket<?> p, String reason, SubscriptionId subscriber, Throwable cause) {
        metrics.deadLettered.increment();
        if (Channels.DEAD_LETTER.equals(p.channel()) || closed) {
            return;
        }
        PhasePacket<DeadLetter> letter = PhasePacket.builder(new DeadLetter(p, reason, subscriber, cause))
                .channel(Channels.DEAD_LETTER).priority(p.priority()).build();
        try {
            tryPublish(letter);
        } catch (RuntimeException e) {
            failureLog.warn("Could not publish dead letter for " + p.messageId() + ": " + e, null);
        }
    }

    // ---------------------------------------------------------------- consuming

    /** Delivers up to {@code max} queued packets of a handler subscription; returns how many were taken. */
    int drain(HandlerSubscriber s, int max, LatencyHistogram latency) {
        int n = 0;
        TimeSource ts = time;
        PhasePacket<?> p;
        while (n < max && (p = s.queue.poll()) != null) {
            n++;
            long now = ts.nowNanos();
            if (p.hasDeadline() && now > p.deadlineNanos()) {
                metrics.expired.increment();
                finished(p);
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                PhasePacket<Object> packet = (PhasePacket<Object>) p;
                s.handler.onPacket(packet);
                s.countDelivered();
            } catch (Throwable t) {
                metrics.failed.increment();
                failureLog.warn("Handler " + s.handler.getClass().getName() + " of " + s + " threw on packet "
                        + p.messageId() + "; packet dead-lettered", t);
                deadLetter(p, "handler of " + s.subscriptionId + " threw " + t, s.subscriptionId, t);
            }
            // publish-to-handler latency, as read before the call; recorded after it so the handler gets the packet sooner
            latency.record(now - p.publishedAtNanos());
            finished(p);
        }
        return n;
    }

    /** The next deliverable packet for a receiver, or null. */
    PhasePacket<?> takeFor(ReceiverImpl<?> r) {
        PhasePacket<?> p;
        while ((p = r.queue.poll()) != null) {
            long now = time.nowNanos();
            if (p.hasDeadline() && now > p.deadlineNanos()) {
                metrics.expired.increment();
                finished(p);
                continue;
            }
            metrics.recordReceiverLatency(now - p.publishedAtNanos());
            r.countDelivered();
            finished(p);
            return p;
        }
        return null;
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
        return r;
    }

    /**
     * Subscribes a whiteboard handler.
     *
     * @param componentId 0..63, or -1 for none
     */
    SubscriptionId addHandler(PacketHandler<?> handler, Class<?> type, String channel, int componentId, String owner) {
        ensureOpen();
        if (channel != null) {
            Channels.requireValid(channel);
        }
        if (componentId < -1 || componentId >= ComponentId.MAX_COMPONENTS) {
            throw new IllegalArgumentException("component id " + componentId + " is out of range 0..63");
        }
        HandlerSubscriber s = new HandlerSubscriber(subscriptionIds.incrementAndGet(), type, channel, componentId, handler,
                settings.queueCapacity(), owner);
        synchronized (dispatchLock) {
            leastLoaded().add(s);
        }
        router.add(s);
        return s.subscriptionId;
    }

    private void ensureOpen() {
        if (closed) {
            throw new ResourceExhaustedException("bus", "the bus is stopping; no new subscriptions");
        }
    }

    @Override
    public void unsubscribe(SubscriptionId id) {
        Objects.requireNonNull(id, "id");
        for (Subscriber s : router.subscribers()) {
            if (s.id == id.value()) {
                remove(s);
                return;
            }
        }
        throw new SubscriptionNotFoundException(id.value());
    }

    void closeReceiver(ReceiverImpl<?> r) {
        remove(r);
    }

    private void remove(Subscriber s) {
        if (!router.remove(s)) {
            return;
        }
        s.closed = true;
        retiredDelivered.addAndGet(s.delivered());
        if (s instanceof HandlerSubscriber h) {
            Dispatcher d = h.dispatcher;
            if (d != null) {
                d.remove(h);
            }
        } else if (s instanceof ReceiverImpl<?> r) {
            r.closed();
        }
        discardQueued(s, "unsubscribed");
    }

    /** Counts (and finishes) packets still queued for a subscriber that is gone. */
    private void discardQueued(Subscriber s, String why) {
        PhasePacket<?> p;
        int guaranteed = 0;
        int total = 0;
        while ((p = s.queue.poll()) != null) {
            total++;
            if (p.delivery().isGuaranteed()) {
                guaranteed++;
                metrics.failed.increment();
                deadLetter(p, s.subscriptionId + " " + why + " with the packet still queued", s.subscriptionId, null);
            } else {
                metrics.dropped.increment();
            }
            finished(p);
        }
        if (total > 0) {
            LOG.warn("{} {} with {} packets queued ({} guaranteed, dead-lettered)", s, why, total, guaranteed);
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
            n += s.delivered();
        }
        return n;
    }

    @Override
    public BusStats stats() {
        return metrics.snapshot(sequence.get(), totalDelivered(), subscriptionCount(), time::nowNanos);
    }

    @Override
    public boolean isHealthy() {
        return healthCheck().healthy();
    }

    @Override
    public BusHealth healthCheck() {
        BusStats s = stats();
        Settings cfg = settings;
        List<String> warnings = new ArrayList<>();
        if (s.avgLatencyNanos() > cfg.healthMaxAvgLatencyNanos()) {
            warnings.add("Average latency " + s.avgLatencyNanos() + " ns exceeds the " + cfg.healthMaxAvgLatencyNanos()
                    + " ns target");
        }
        long capacity = metrics.capacityPerSecond();
        if (capacity >= 0 && capacity < cfg.healthMinCapacity()) {
            warnings.add("Dispatch capacity " + capacity + " packets/s (measured cost per delivery) is below the "
                    + cfg.healthMinCapacity() + " packets/s target");
        }
        if (closed) {
            warnings.add("The bus is stopping");
        }
        return new BusHealth(warnings.isEmpty(), s, warnings, time.nowNanos());
    }

    @Override
    public HealthReport health() {
        BusHealth h = healthCheck();
        long capacity = metrics.capacityPerSecond();
        String summary = h.stats().activeSubscriptions() + " subscriptions, " + h.stats().published() + " published, avg "
                + h.stats().avgLatencyNanos() + " ns" + (capacity >= 0 ? ", capacity " + capacity + "/s" : "");
        return h.healthy() ? HealthReport.up(summary) : HealthReport.degraded(summary, h.warnings());
    }

    // ---------------------------------------------------------------- housekeeping and shutdown

    private void requestRelease() {
        releaseRequested = true;
        housekeeperWaker.wake();
    }

    private void housekeep() {
        long nextSample = System.nanoTime();
        long nextCacheClear = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!closed) {
            try {
                if (causal.heldCount() > 0 || releaseRequested) {
                    releaseRequested = false;
                    releaseHeld();
                }
                long nowMono = System.nanoTime();
                if (nowMono - nextSample >= 0) {
                    metrics.collect();
                    metrics.sample(nowMono, totalDelivered(), settings.throughputWindowNanos());
                    nextSample = nowMono + TimeUnit.SECONDS.toNanos(1);
                }
                if (nowMono - nextCacheClear >= 0) {
                    router.clearTypeCache();
                    nextCacheClear = nowMono + TimeUnit.MINUTES.toNanos(1);
                }
                housekeeperWaker.prepare();
                if (!releaseRequested && !closed) {
                    housekeeperWaker.await(causal.heldCount() > 0 ? HOUSEKEEPING_HELD_NANOS : HOUSEKEEPING_IDLE_NANOS);
                } else {
                    housekeeperWaker.cancel();
                }
            } catch (RuntimeException e) {
                LOG.error("Bus housekeeping failed; continuing", e);
            }
        }
    }

    private void releaseHeld() {
        HlcClock clock = hlc;
        causal.releaseReady(time.nowNanos(), clock.nodeId(), sequence.get(), p -> {
            try {
                route(p, true);
            } catch (DeliveryFailedException e) {
                failureLog.warn("Released packet " + p.messageId() + " could not be delivered: " + e.getMessage(), null);
            }
        }, p -> {
            metrics.expired.increment();
            causal.markDone(p.messageIdValue());
        });
    }

    /**
     * Stops the bus: refuses new packets, lets dispatchers deliver what is queued for up to the
     * shutdown timeout, then dead-letters (counts and logs) every guaranteed packet still
     * queued or held, and closes every subscription.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeperWaker.wake();
        long deadline = System.nanoTime() + settings.shutdownTimeoutNanos();
        synchronized (dispatchLock) {
            for (Dispatcher d : dispatchers) {
                d.stop(deadline);
            }
            for (Dispatcher d : dispatchers) {
                try {
                    long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1000);
                    if (!d.join(waitMs)) {
                        LOG.warn("Dispatcher {} still busy in a handler after the shutdown timeout", d);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        causal.drainAll(p -> {
            if (p.delivery().isGuaranteed()) {
                metrics.failed.increment();
                LOG.warn("Guaranteed packet {} was still waiting for its causal dependencies when the bus stopped", p.messageId());
            }
            metrics.deadLettered.increment();
        });
        for (Subscriber s : router.subscribers()) {
            remove(s);
        }
        try {
            housekeeper.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        BusStats last = metrics.snapshot(sequence.get(), retiredDelivered.get(), 0, time::nowNanos);
        LOG.info("Bus stopped: {} published, {} delivered, {} dropped, {} expired, {} failed, {} dead-lettered",
                last.published(), last.delivered(), last.dropped(), last.expired(), last.failed(), last.deadLettered());
    }

    boolean isClosed() {
        return closed;
    }
}
