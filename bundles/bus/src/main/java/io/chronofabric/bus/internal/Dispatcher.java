package io.chronofabric.bus.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A thread that calls whiteboard handlers. Each handler subscription is served by exactly one
 * dispatcher, so a handler is never called concurrently, and only the dispatcher's own thread
 * changes its set of subscriptions: others hand subscriptions in through {@link #offer}, ask for
 * closed ones to be retired with {@link #requestMaintenance}, and ask it to stop with
 * {@link #handOver} (pass every subscription, token and all, to the bus's current dispatchers)
 * or {@link #stopWhenEmpty} (exit once every subscription has been retired). Idle behaviour
 * follows the bus's wait strategy; under PARK it blocks until a publisher wakes it.
 */
final class Dispatcher implements Runnable {

    private static final int BATCH = 256;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int RUNNING = 0;
    private static final int HAND_OVER = 1;
    private static final int STOP_WHEN_EMPTY = 2;
    /** No reading: {@link PhaseCoherenceBus#drain} reads the clock itself. */
    static final long NO_TIME = Long.MIN_VALUE;

    final WaitStrategy.Waker waker = new WaitStrategy.Waker();
    final LatencyHistogram latency;
    /** What this thread times its passes with (its own; see {@link #run()}). */
    private final PassClock passClock = new PassClock();
    private final PhaseCoherenceBus bus;
    private final Thread thread;
    /** The dispatcher thread's own array; others read it only for statistics. */
    private volatile HandlerSubscriber[] subscribers = new HandlerSubscriber[0];
    private final ArrayDeque<HandlerSubscriber> inbox = new ArrayDeque<>(); // guarded by this
    private volatile boolean inboxPending;
    private volatile boolean maintenance;
    private volatile int mode = RUNNING; // written under this
    private boolean exited; // guarded by this
    private volatile int load;
    /**
     * Deliveries and busy time (ns of the pass clock, {@link PassClock}, spent in passes that
     * delivered something), for statistics. Only this thread writes them, with release stores (a plain store on x86), read
     * with acquire: a volatile store would put a full fence in every pass.
     */
    private volatile long deliveries;
    private volatile long busyNanos;
    /** Loop passes begun and finished; written with release semantics, for causal barriers. */
    private long passesBegun;
    private long passesFinished;
    private static final java.lang.invoke.VarHandle BEGUN;
    private static final java.lang.invoke.VarHandle FINISHED;
    private static final java.lang.invoke.VarHandle DELIVERIES;
    private static final java.lang.invoke.VarHandle BUSY;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            BEGUN = l.findVarHandle(Dispatcher.class, "passesBegun", long.class);
            FINISHED = l.findVarHandle(Dispatcher.class, "passesFinished", long.class);
            DELIVERIES = l.findVarHandle(Dispatcher.class, "deliveries", long.class);
            BUSY = l.findVarHandle(Dispatcher.class, "busyNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Dispatcher(PhaseCoherenceBus bus, String name) {
        this.bus = bus;
        this.latency = bus.metrics.newDispatcherHistogram();
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Hands a subscription (with its consumer token) to this dispatcher.
     *
     * @return false if this dispatcher is stopping; the caller keeps the subscription and picks another
     */
    synchronized boolean offer(HandlerSubscriber s) {
        if (exited || mode != RUNNING) {
            return false;
        }
        inbox.add(s);
        load++;
        s.waker = waker;
        inboxPending = true;
        waker.wake();
        return true;
    }

    /** Asks the thread to look for closed subscriptions to retire. */
    void requestMaintenance() {
        maintenance = true;
        waker.wake();
    }

    synchronized void handOver() {
        if (mode == RUNNING) {
            mode = HAND_OVER;
        }
        waker.wake();
    }

    synchronized void stopWhenEmpty() {
        mode = STOP_WHEN_EMPTY;
        waker.wake();
    }

    /** A mark for {@link #finishedPassSince}. */
    long passMark() {
        return (long) BEGUN.getAcquire(this);
    }

    /** Whether the loop pass that was running when {@code mark} was taken (if any) has finished. */
    boolean finishedPassSince(long mark) {
        return (long) FINISHED.getAcquire(this) >= mark || !thread.isAlive();
    }

    boolean isStopping() {
        return mode != RUNNING;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    int load() {
        return load;
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

    boolean join(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * The loop. Each pass reads one clock, before polling: that reading times the pass (busy time,
     * the back-off's idle time, histogram hand-over). While the bus's time source keeps pace with
     * real time ({@link PassClock}) the pass reads the time source, and the reading is also the
     * delivery time of the pass's first packet (deadline check, publish-to-handler latency), so a
     * dispatcher that keeps up with its publishers (one packet per pass) reads the clock once per
     * packet; later packets of a pass read it again. Busy time is the time from the start of a pass
     * that delivered something to the start of the next pass.
     */
    @Override
    public void run() {
        int emptyPolls = 0;
        long idleSince = 0;
        long busyFrom = NO_TIME;
        int clockGeneration = passClock.generation();
        while (true) {
            if (inboxPending) {
                takeInbox();
            }
            if (maintenance) {
                maintain();
            }
            int m = mode;
            if (m == HAND_OVER) {
                handOverAll();
                return;
            }
            if (m == STOP_WHEN_EMPTY && subscribers.length == 0 && exitIfInboxEmpty()) {
                latency.flush();
                return;
            }
            HandlerSubscriber[] subs = subscribers;
            io.chronofabric.api.time.TimeSource ts = bus.timeSource();
            boolean shared = passClock.shared(ts);
            long t0 = shared ? ts.nowNanos() : System.nanoTime();
            passClock.maybeCheck(ts, t0);
            if (passClock.generation() != clockGeneration) {
                // the pass clock changed: read the new one; intervals begun on the other one are dropped
                clockGeneration = passClock.generation();
                shared = passClock.shared(ts);
                t0 = shared ? ts.nowNanos() : System.nanoTime();
                busyFrom = NO_TIME;
                idleSince = t0;
            }
            if (busyFrom != NO_TIME) {
                long busy = t0 - busyFrom; // negative only if the time source was replaced meanwhile
                if (busy > 0) {
                    BUSY.setRelease(this, (long) BUSY.get(this) + busy);
                }
                busyFrom = NO_TIME;
            }
            int n = 0;
            long pass = passesBegun + 1;
            BEGUN.setRelease(this, pass);
            long first = shared ? t0 : NO_TIME;
            for (HandlerSubscriber s : subs) {
                int k = bus.drain(s, BATCH, latency, ts, first);
                if (k > 0) {
                    n += k;
                    first = NO_TIME; // handlers ran since t0: the next packet reads the clock
                }
            }
            FINISHED.setRelease(this, pass);
            if (n > 0) {
                busyFrom = t0;
                DELIVERIES.setRelease(this, (long) DELIVERIES.get(this) + n);
                emptyPolls = 0;
                latency.flushIfDue(t0);
                continue;
            }
            if (++emptyPolls == 1 || t0 - idleSince < 0) { // (a time source replaced meanwhile may read earlier)
                idleSince = t0;
            }
            if ((emptyPolls & 1023) == 0) {
                latency.flushIfDue(t0);
            }
            Settings cfg = bus.settings();
            long block = cfg.waitStrategy().idle(emptyPolls, t0 - idleSince, cfg.backoffSpinNanos(), cfg.backoffYieldNanos());
            if (block != 0) {
                latency.flushIdle(t0); // about to block: hand over what was recorded
                // a handler may have left the interrupt flag set: parking would then return at once, for ever
                Thread.interrupted();
                waker.prepare();
                if (allEmpty(subs) && !inboxPending && !maintenance && mode == m) {
                    waker.await(maintenanceDue(subs) ? TimeUnit.MILLISECONDS.toNanos(1) : Math.min(block, MAX_PARK_NANOS));
                } else {
                    waker.cancel();
                }
                if (!cfg.waitStrategy().timed()) {
                    emptyPolls = 0; // counted strategies start over; BACKOFF stays past its windows and blocks again at once
                }
            }
        }
    }

    private void takeInbox() {
        List<HandlerSubscriber> taken = new ArrayList<>();
        synchronized (this) {
            inboxPending = false;
            HandlerSubscriber s;
            while ((s = inbox.poll()) != null) {
                taken.add(s);
            }
        }
        HandlerSubscriber[] cur = subscribers;
        HandlerSubscriber[] next = Arrays.copyOf(cur, cur.length + taken.size());
        int i = cur.length;
        for (HandlerSubscriber s : taken) {
            s.dispatcher = this;
            next[i++] = s;
            if (s.closed) {
                maintenance = true;
            }
        }
        subscribers = next;
    }

    /** Retires closed subscriptions whose queue is empty or whose drain time is up; keeps the rest draining. */
    private void maintain() {
        maintenance = false;
        HandlerSubscriber[] cur = subscribers;
        long now = System.nanoTime();
        List<HandlerSubscriber> keep = null;
        boolean again = false;
        for (int i = 0; i < cur.length; i++) {
            HandlerSubscriber s = cur[i];
            boolean retire = false;
            if (s.closed) {
                if (s.queue.isEmpty() || s.drainTimeUp(now)) {
                    retire = true;
                } else {
                    again = true; // still delivering what was queued before the close
                }
            }
            if (retire && keep == null) {
                keep = new ArrayList<>(Arrays.asList(cur).subList(0, i));
            } else if (!retire && keep != null) {
                keep.add(s);
            }
            if (retire) {
                bus.finalDrain(s);
            }
        }
        if (keep != null) {
            subscribers = keep.toArray(new HandlerSubscriber[0]);
            synchronized (this) {
                load = subscribers.length + inbox.size();
            }
        }
        if (again) {
            maintenance = true;
        }
    }

    private boolean maintenanceDue(HandlerSubscriber[] subs) {
        for (HandlerSubscriber s : subs) {
            if (s.closed) {
                return true;
            }
        }
        return false;
    }

    private synchronized boolean exitIfInboxEmpty() {
        if (inbox.isEmpty()) {
            exited = true;
            return true;
        }
        return false;
    }

    /** Passes every subscription on to the bus's current dispatchers, tokens still held, and exits. */
    private void handOverAll() {
        latency.flush();
        List<HandlerSubscriber> all = new ArrayList<>(Arrays.asList(subscribers));
        synchronized (this) {
            exited = true;
            all.addAll(inbox);
            inbox.clear();
            load = 0;
        }
        subscribers = new HandlerSubscriber[0];
        for (HandlerSubscriber s : all) {
            bus.assign(s);
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
