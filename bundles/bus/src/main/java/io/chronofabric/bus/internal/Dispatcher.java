package io.chronofabric.bus.internal;

import java.util.concurrent.TimeUnit;

/**
 * A thread that calls whiteboard handlers. Each handler subscription is served by exactly one
 * dispatcher, so a handler is never called concurrently. Idle behaviour follows the bus's wait
 * strategy; under PARK it blocks until a publisher wakes it.
 */
final class Dispatcher implements Runnable {

    private static final int BATCH = 256;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    final WaitStrategy.Waker waker = new WaitStrategy.Waker();
    final LatencyHistogram latency;
    private final PhaseCoherenceBus bus;
    private final Thread thread;
    private volatile HandlerSubscriber[] subscribers = new HandlerSubscriber[0];
    private volatile boolean running = true;
    private volatile long drainDeadline = Long.MAX_VALUE;
    private volatile long deliveries;
    private volatile long busyNanos;

    Dispatcher(PhaseCoherenceBus bus, String name) {
        this.bus = bus;
        this.latency = bus.metrics.newDispatcherHistogram();
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    synchronized void add(HandlerSubscriber s) {
        HandlerSubscriber[] cur = subscribers;
        HandlerSubscriber[] next = java.util.Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = s;
        subscribers = next;
        s.dispatcher = this;
        s.waker = waker;
        waker.wake();
    }

    synchronized void remove(HandlerSubscriber s) {
        subscribers = java.util.Arrays.stream(subscribers).filter(x -> x != s).toArray(HandlerSubscriber[]::new);
    }

    int load() {
        return subscribers.length;
    }

    HandlerSubscriber[] subscribers() {
        return subscribers;
    }

    long deliveries() {
        return deliveries;
    }

    long busyNanos() {
        return busyNanos;
    }

    /** Stops after delivering what is queued, or at {@code deadlineNanos} (System.nanoTime). */
    void stop(long deadlineNanos) {
        drainDeadline = deadlineNanos;
        running = false;
        waker.wake();
    }

    boolean join(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    @Override
    public void run() {
        int emptyPolls = 0;
        while (true) {
            HandlerSubscriber[] subs = subscribers;
            long t0 = System.nanoTime();
            int n = 0;
            for (HandlerSubscriber s : subs) {
                n += bus.drain(s, BATCH, latency);
            }
            if (n > 0) {
                long t1 = System.nanoTime();
                busyNanos += t1 - t0;
                deliveries += n;
                emptyPolls = 0;
                latency.flushIfDue(t1);
                if (!running && System.nanoTime() > drainDeadline) {
                    latency.flush();
                    return;
                }
                continue;
            }
            if (!running) {
                latency.flush();
                return;
            }
            if ((++emptyPolls & 1023) == 0) {
                latency.flushIfDue(System.nanoTime());
            }
            if (bus.waitStrategy().idle(emptyPolls)) {
                latency.flushIdle(System.nanoTime()); // about to block: hand over what was recorded
                waker.prepare();
                if (allEmpty(subs) && running) {
                    waker.await(MAX_PARK_NANOS);
                } else {
                    waker.cancel();
                }
                emptyPolls = 0;
            }
        }
    }

    private static boolean allEmpty(HandlerSubscriber[] subs) {
        for (HandlerSubscriber s : subs) {
            if (!s.queue.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
