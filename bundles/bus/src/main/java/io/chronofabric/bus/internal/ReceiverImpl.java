package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.SubscriptionId;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A programmatic subscription: the owner pulls packets. */
final class ReceiverImpl<T> extends Subscriber implements Receiver<T> {

    private final PhaseCoherenceBus bus;
    private final WaitStrategy.Waker waker = new WaitStrategy.Waker();

    ReceiverImpl(PhaseCoherenceBus bus, long id, Class<?> type, String channel, int componentId,
            Predicate<PhasePacket<?>> filter, int capacity, String owner) {
        super(id, type, channel, componentId, filter, capacity, owner);
        this.bus = bus;
    }

    @Override
    public SubscriptionId id() {
        return subscriptionId;
    }

    @SuppressWarnings("unchecked")
    @Override
    public PhasePacket<T> poll() {
        return (PhasePacket<T>) bus.takeFor(this);
    }

    @Override
    public PhasePacket<T> take(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        int emptyPolls = 0;
        while (true) {
            PhasePacket<T> p = poll();
            if (p != null) {
                return p;
            }
            if (closed) {
                return null;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting on " + subscriptionId);
            }
            if (bus.waitStrategy().idle(++emptyPolls)) {
                waker.prepare();
                if (queue.isEmpty() && !closed) {
                    waker.await(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
                } else {
                    waker.cancel();
                }
                emptyPolls = 0;
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
    public void close() {
        if (!closed) {
            bus.closeReceiver(this);
        }
    }

    /** Called by the bus once unsubscribed: wakes a thread blocked in take. */
    void closed() {
        closed = true;
        waker.wake();
    }

    @Override
    void wakeConsumer() {
        waker.wake();
    }

    @Override
    String origin() {
        return "programmatic";
    }
}
