package io.chronofabric.patterns.internal;

import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.patterns.RequestFailedException;
import io.chronofabric.api.patterns.RequestTimeoutException;
import io.chronofabric.api.patterns.ResponderFailure;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requester side of request/reply, free of OSGi: publishes requests, matches replies to them by
 * the reply's first causal dependency, and times them out.
 *
 * <p>A reply may arrive before {@code publish} has returned the request's id (a fast responder on
 * another dispatcher thread). So a request is first put into an in-flight queue holding its packet,
 * then published, then indexed by id; a reply whose id is not indexed yet is matched against the
 * in-flight packets' stamped ids (the stamp happens before the request's delivery, which happens
 * before the reply is published and delivered, so the id is visible).
 */
final class RequestCorrelator {

    private final Map<Long, Pending> byId = new ConcurrentHashMap<>();
    private final Queue<Pending> inFlight = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private final ScheduledExecutorService timer;
    private volatile int maxPending;

    RequestCorrelator(ScheduledExecutorService timer, int maxPending) {
        this.timer = timer;
        this.maxPending = maxPending;
    }

    void maxPending(int max) {
        this.maxPending = max;
    }

    private static final class Pending {
        final PhasePacket<?> packet;
        final String channel;
        final Class<?> replyType;
        final Duration timeout;
        final CompletableFuture<PhasePacket<Object>> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeoutTask;
        volatile int subscribersAtPublish;

        Pending(PhasePacket<?> packet, String channel, Class<?> replyType, Duration timeout) {
            this.packet = packet;
            this.channel = channel;
            this.replyType = replyType;
            this.timeout = timeout;
        }
    }

    /** An untyped request: the reply payload is not checked. */
    <R> CompletionStage<PhasePacket<R>> request(EventBusTx bus, String channel, Object payload, Duration timeout) {
        return request(bus, channel, payload, null, timeout);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    <R> CompletionStage<PhasePacket<R>> request(EventBusTx bus, String channel, Object payload, Class<R> replyType, Duration timeout) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Request timeout " + timeout + " is not positive");
        }
        PhasePacket<Object> packet = PhasePacket.builder(payload).channel(channel).build();
        Pending p = new Pending(packet, channel, replyType, timeout);
        CompletionStage<PhasePacket<R>> stage = (CompletionStage) p.future;
        if (bus == null) {
            p.future.completeExceptionally(new ServiceUnavailableException("bus", "no EventBus service is registered; request on channel '"
                    + channel + "' not sent"));
            return stage;
        }
        int max = maxPending;
        if (pending.incrementAndGet() > max) {
            pending.decrementAndGet();
            p.future.completeExceptionally(new ResourceExhaustedException("pending requests", max
                    + " requests already wait for a reply (max.pending); request on channel '" + channel + "' refused"));
            return stage;
        }
        p.future.whenComplete((r, e) -> pending.decrementAndGet());
        inFlight.add(p);
        try {
            p.subscribersAtPublish = bus.subscriberCount(channel);
            bus.publish(packet);
        } catch (RuntimeException e) {
            inFlight.remove(p);
            p.future.completeExceptionally(e);
            return stage;
        }
        long id = packet.messageIdValue();
        byId.put(id, p);
        inFlight.remove(p);
        if (p.future.isDone()) {
            byId.remove(id);
            return stage;
        }
        p.timeoutTask = timer.schedule(() -> expire(id), timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (p.future.isDone()) {
            // answered while the timer was being scheduled
            p.timeoutTask.cancel(false);
        }
        return stage;
    }

    private void expire(long id) {
        Pending p = byId.remove(id);
        if (p == null) {
            return;
        }
        int subs = p.subscribersAtPublish;
        String details = "request " + new MessageId(id) + (subs == 0 ? ", the channel had no subscriber when it was published"
                : ", " + subs + " subscriber" + (subs == 1 ? "" : "s") + " of the channel when it was published");
        // counted before completing, so a caller woken by the failure sees the count
        timedOut.incrementAndGet();
        if (!p.future.completeExceptionally(new RequestTimeoutException(p.channel, p.timeout, details))) {
            timedOut.decrementAndGet();
        }
    }

    /** A packet on the reply channel. Runs on a bus dispatcher thread. */
    @SuppressWarnings("unchecked")
    void onReply(PhasePacket<?> reply) {
        if (reply.causalDependencyCount() == 0) {
            unmatched.incrementAndGet();
            return;
        }
        long id = reply.causalDependency(0);
        Pending p = byId.remove(id);
        if (p == null) {
            for (Pending q : inFlight) {
                if (q.packet.messageIdValue() == id) {
                    p = q;
                    break;
                }
            }
        }
        if (p == null || p.future.isDone()) {
            unmatched.incrementAndGet();
            return;
        }
        ScheduledFuture<?> t = p.timeoutTask;
        if (t != null) {
            t.cancel(false);
        }
        // answered via the in-flight queue: the request thread may index it meanwhile
        byId.remove(id, p);
        Object payload = reply.payload();
        answered.incrementAndGet();
        boolean done;
        if (payload instanceof ResponderFailure f && p.replyType != ResponderFailure.class) {
            done = p.future.completeExceptionally(new RequestFailedException(f));
        } else if (p.replyType != null && !p.replyType.isInstance(payload)) {
            done = p.future.completeExceptionally(new ClassCastException("Reply to request " + new MessageId(id) + " on channel '"
                    + p.channel + "' carries a " + payload.getClass().getName() + ", not the expected " + p.replyType.getName()));
        } else {
            done = p.future.complete((PhasePacket<Object>) reply);
        }
        if (!done) {
            answered.decrementAndGet();
            unmatched.incrementAndGet();
        }
    }

    /** Fails every pending request (the service is stopping). */
    void failAll(String why) {
        for (Long id : byId.keySet()) {
            Pending p = byId.remove(id);
            if (p != null) {
                ScheduledFuture<?> t = p.timeoutTask;
                if (t != null) {
                    t.cancel(false);
                }
                p.future.completeExceptionally(new ServiceUnavailableException("request/reply",
                        why + "; request " + new MessageId(id) + " on channel '" + p.channel + "' got no reply"));
            }
        }
    }

    int pending() {
        return pending.get();
    }

    long answered() {
        return answered.get();
    }

    long timedOut() {
        return timedOut.get();
    }

    /** Replies that matched no pending request (late, duplicate, or for another node's requester). */
    long unmatched() {
        return unmatched.get();
    }
}
