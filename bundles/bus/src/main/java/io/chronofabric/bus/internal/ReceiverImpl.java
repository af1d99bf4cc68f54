package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.SubscriptionId;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A programmatic subscription: the owner pulls packets. Each poll holds the
 * {@link ConsumerToken}, so two threads never poll the queue at once, and a close from another
 * thread leaves the final drain to whoever holds it.
 */
final class ReceiverImpl<T> extends Subscriber implements Receiver<T> {

    private final PhaseCoherenceBus bus;
    /** This receiver's own waker (also in {@link Subscriber#waker}, where publishers find it). */
    private final WaitStrategy.Waker ownWaker = new WaitStrategy.Waker();

    ReceiverImpl(PhaseCoherenceBus bus, long id, Class<?> type, String channel, int componentId,
            Predicate<PhasePacket<?>> filter, int capacity, String owner) {
        super(id, type, channel, componentId, filter, capacity, owner);
        this.bus = bus;
        this.waker = ownWaker;
    }

    @Override
    public SubscriptionId id() {
        return subscriptionId;
    }

    @SuppressWarnings("unchecked")
    @Override
    public PhasePacket<T> poll() {
        if (!token.tryAcquire()) {
            if (closed) {
                return null; // a closer or a late publisher is emptying the queue
            }
            throw new IllegalStateException(subscriptionId + " is being polled by another thread; a receiver has one consumer at a time");
        }
        if (closed) {
            bus.finalDrain(this);
            return null;
        }
        PhasePacket<?> p;
        try {
            p = bus.takeFor(this);
        } finally {
            token.release();
        }
        if (closed && !queue.isEmpty() && token.tryAcquire()) {
            bus.finalDrain(this); // closed while we polled: the closer left the rest to us
        }
        return (PhasePacket<T>) p;
    }

    @Override
    public PhasePacket<T> take(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        int emptyPolls = 0;
        long idleSince = 0;
        while (true) {
            PhasePacket<T> p = poll();
            if (p != null) {
                return p;
            }
            if (closed) {
                return null;
            }
            long now = System.nanoTime();
            long remaining = deadline - now;
            if (remaining <= 0) {
                return null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting on " + subscriptionId);
            }
            if (++emptyPolls == 1) {
                idleSince = now;
            }
            Settings cfg = bus.settings();
            long block = cfg.waitStrategy().idle(emptyPolls, now - idleSince, cfg.backoffSpinNanos(), cfg.backoffYieldNanos());
            if (block != 0) {
                ownWaker.prepare();
                if (queue.isEmpty() && !closed) {
                    ownWaker.await(Math.min(remaining, block));
                } else {
                    ownWaker.cancel();
                }
                if (!cfg.waitStrategy().timed()) {
                    emptyPolls = 0; // counted strategies start over; BACKOFF stays past its windows and blocks again at once
                }
            }
        }
    }

    @Override
    public int drain(Consumer<? super PhasePacket<T>> sink, int max) {
        int n = 0;
        PhasePacket<T> p;
        while (n < max && (p = poll()) != null) {
            sink.accept(p);
            n++;
        }
        return n;
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String closeReason() {
        return reasonClosed();
    }

    @Override
    public void close() {
        bus.closeSubscriber(this, "closed by its owner", 0, false);
    }

    @Override
    String origin() {
        return "programmatic";
    }
}
