package io.chronofabric.bus.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jctools.queues.MessagePassingQueue;

/**
 * The raw floor's consumer thread: polls a JCTools queue and, when idle, waits exactly as a bus
 * dispatcher does (the given wait strategy, blocking through a {@link WaitStrategy.Waker}).
 */
final class FloorConsumer {

    private FloorConsumer() {
    }

    /**
     * A thread (not started) that takes {@code expected} items, hands each to {@code onItem} and
     * publishes the running count in {@code received}.
     */
    static <T> Thread of(MessagePassingQueue<T> queue, WaitStrategy strategy, WaitStrategy.Waker waker, AtomicLong received,
            long expected, Consumer<T> onItem) {
        return new Thread(() -> {
            long n = 0;
            int idle = 0;
            long idleSince = 0;
            boolean timed = strategy.timed();
            Settings d = Settings.DEFAULTS;
            while (n < expected) {
                T item = queue.relaxedPoll(); // as the bus's dispatchers poll (exact isEmpty before blocking)
                if (item != null) {
                    onItem.accept(item);
                    n++;
                    received.lazySet(n);
                    idle = 0;
                    continue;
                }
                long now = timed ? System.nanoTime() : 0;
                if (++idle == 1) {
                    idleSince = now;
                }
                long block = strategy.idle(idle, now - idleSince, d.backoffSpinNanos(), d.backoffYieldNanos());
                if (block != 0) {
                    waker.prepare();
                    if (queue.isEmpty()) {
                        waker.await(block);
                    } else {
                        waker.cancel();
                    }
                    if (!timed) {
                        idle = 0;
                    }
                }
            }
        }, "floor-consumer");
    }
}
