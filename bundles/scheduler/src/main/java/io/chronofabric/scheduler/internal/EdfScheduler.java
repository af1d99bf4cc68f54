package io.chronofabric.scheduler.internal;

import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.core.TaskId;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.scheduler.TaskPriority;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Earliest-deadline-first scheduling on a pool of worker threads, independent of OSGi.
 *
 * <p>Jobs wait in a release queue (by release time) until the time source reaches their release,
 * then in the ready queue ordered by absolute deadline, then priority (higher first), then
 * submission order. A worker takes the head of the ready queue. Admission control keeps the sum of
 * the admitted tasks' estimated utilisations (periodic: estimate / period; one-shot: estimate /
 * time left to its deadline, until it ends) per worker at or below the bound.
 *
 * <p>With a simulated time source the workers stay idle: {@link #processTemporalQueue()} runs what
 * is due on the caller's thread, so tests are deterministic and exact.
 *
 * <p>Time source: {@link #setTimeSource} follows a change in place. With none (null) the scheduler
 * runs on a monotonic fallback that continues from the last reading (before any source: from the
 * wall clock); a new source whose reading differs by more than the re-base threshold shifts every
 * pending job by the difference, so each keeps the time it had left.
 *
 * <p>Workers: a task's interrupt is cleared after its job (it never reaches the next job or ends
 * the worker); a worker that dies anyway (an exception escapes its loop) is replaced at once and
 * counted, and {@link #workerCount()} is always the live count.
 */
public final class EdfScheduler implements DeadlineScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(EdfScheduler.class);
    /** How many abandoned tasks a stop names in the log; the rest are counted. */
    private static final int MAX_LOGGED_TASKS = 20;
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Highest priority ordinal; the ready queue's tie key puts a higher priority first. */
    private static final int MAX_PRIORITY = TaskPriority.values().length - 1;

    /**
     * The ready queue's second key: higher priority first, then submission order (priority in the
     * top byte, the sequence number below it: 2^56 submissions before it would wrap).
     */
    private static long readyTie(Task t, long seq) {
        return ((long) (MAX_PRIORITY - t.priority().ordinal()) << 56) | seq;
    }

    /** A periodic task's own state (one-shot tasks have none: their handle stays small). */
    static final class Periodic {
        long firstRelease; // guarded by lock; shifted by a re-base
        long index; // the pending (or running, or last) job's number; guarded by lock
        long lastRelease = -1; // release of the last job that ran, written by its runner

        Periodic(long firstRelease) {
            this.firstRelease = firstRelease;
        }
    }

    /**
     * The handle of an admitted task, and its one pending job: a task has at most one job queued or
     * running at a time (a periodic task's next job is released when the previous one ran), so the
     * job's fields live here and one object per one-shot task is all admission allocates (112 bytes).
     * The task id and the outcome record are made only when someone asks for them; the queues hold
     * the handle's slot number, not the handle.
     */
    final class Handle implements ScheduledTask {
        private final long idValue;
        private TaskId id; // made on first use (racy single check: TaskId is immutable)
        private final Task task;
        /** Null for a one-shot task. */
        final Periodic periodic;
        /** Its share of admitted utilisation. */
        final double utilisation;
        /** Its slot in the task table while admitted, -1 once ended; guarded by lock. */
        int slot = -1;
        // the pending (or running, or last) job: guarded by lock while queued; the runner reads them while it runs the job
        long release;
        long deadline;
        // the last job's result, written by its runner before the job is handed back (read once the task ended)
        private TaskOutcome.Status lastStatus;
        private long lastStart = -1;
        private long lastFinish = -1;
        private Throwable lastFailure;
        /** Made when first asked for ({@link #outcome()}): most tasks are never waited on, so most never need one. */
        private volatile CompletableFuture<TaskOutcome> outcome;
        /**
         * Set once the task ended (its last outcome is final), before the future, if any, is read:
         * a volatile write ({@link #end()}), or a plain one published by the compare-and-set that
         * queues the task's slot in the ended queue ({@link #endQueued()}); {@link #outcome()}
         * reads that queue's producer index between its own compare-and-set and its read of this
         * flag, so either way no completion is lost.
         */
        private volatile boolean ended;
        volatile boolean cancelled;
        /** Its share of utilisation was given back: the task ended (its slot may still be held by its running job); guarded by lock. */
        boolean released;
        volatile long nextDeadline;
        /** An outcome fixed when the task ended other than by running (cancelled, abandoned, worker died); null otherwise. */
        volatile TaskOutcome fixed;

        Handle(long idValue, Task task, double utilisation, long firstRelease) {
            this.idValue = idValue;
            this.task = task;
            this.utilisation = utilisation;
            this.periodic = task.isPeriodic() ? new Periodic(firstRelease) : null;
        }

        /** The runner records its job's result (no object made). */
        void result(TaskOutcome.Status status, long start, long finish, Throwable failure) {
            lastStatus = status;
            lastStart = start;
            lastFinish = finish;
            lastFailure = failure;
            if (periodic != null) {
                periodic.lastRelease = release;
            }
        }

        /** The last outcome, made now: the fixed one, or the last job's, or null before any job ran. */
        TaskOutcome last() {
            TaskOutcome f = fixed;
            if (f != null) {
                return f;
            }
            TaskOutcome.Status st = lastStatus;
            return st == null ? null : new TaskOutcome(id(), task.name(), st, lastRelease(), deadline, lastStart, lastFinish, lastFailure);
        }

        /** Release of the last job that ran, or -1. */
        long lastRelease() {
            if (periodic != null) {
                return periodic.lastRelease;
            }
            return lastStatus == null ? -1 : release;
        }

        @Override
        public TaskId id() {
            TaskId i = id;
            if (i == null) {
                i = TaskId.of(idValue);
                id = i;
            }
            return i;
        }

        long idValue() {
            return idValue;
        }

        @Override
        public Task task() {
            return task;
        }

        @Override
        public long nextDeadlineNanos() {
            return nextDeadline;
        }

        @Override
        public CompletionStage<TaskOutcome> outcome() {
            CompletableFuture<TaskOutcome> f = outcome;
            if (f == null) {
                f = new CompletableFuture<>();
                if (!OUTCOME.compareAndSet(this, null, f)) {
                    f = outcome;
                }
                // the index read orders this after an ender's compare-and-set on it (endQueued) or before it
                if (endedSlots.producerIndex() >= 0 && ended) {
                    f.complete(last()); // ended before anyone asked (no lost completion: see the field comment)
                }
            }
            return f.minimalCompletionStage();
        }

        /** The task ended: its outcome is final. */
        void end() {
            ended = true;
            CompletableFuture<TaskOutcome> f = outcome;
            if (f != null) {
                f.complete(last());
            }
        }

        /**
         * A one-shot task's job ran outside the lock: the task ended, its bookkeeping is left to the
         * next holder of the lock. The flag is written plainly: the compare-and-set that queues the
         * slot publishes it (one atomic instruction for both).
         *
         * @return false if the ended queue is full: the caller does the bookkeeping under the lock
         */
        boolean endQueued() {
            ENDED.set(this, true);
            if (!endedSlots.offer(slot)) {
                return false;
            }
            CompletableFuture<TaskOutcome> f = outcome;
            if (f != null) {
                f.complete(last());
            }
            return true;
        }

        @Override
        public boolean cancel() {
            return EdfScheduler.this.cancel(this);
        }

        @Override
        public boolean isDone() {
            return ended;
        }

        @Override
        public String toString() {
            return id() + " '" + task.name() + "'";
        }
    }

    private static final java.lang.invoke.VarHandle OUTCOME;
    private static final java.lang.invoke.VarHandle ENDED;
    private static final java.lang.invoke.VarHandle NEXT_DEADLINE;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            OUTCOME = l.findVarHandle(Handle.class, "outcome", CompletableFuture.class);
            ENDED = l.findVarHandle(Handle.class, "ended", boolean.class);
            NEXT_DEADLINE = l.findVarHandle(Handle.class, "nextDeadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Mutex lock = new Mutex();
    private final Condition changed = lock.newCondition();
    /** Admitted tasks, each in a slot it keeps until it ends; the queues below hold slot numbers. */
    private final SlotTable<Handle> tasks = new SlotTable<>(64);
    /** Released jobs: earliest deadline, then higher priority, then submission order. */
    private final KeyedHeap ready = new KeyedHeap(64);
    /** Jobs not yet released: by release time, then submission order (released jobs move to the ready queue). */
    private final KeyedHeap waiting = new KeyedHeap(64);
    /**
     * The slots of one-shot tasks that ended outside the lock (the last job of {@link #runDue}):
     * their bookkeeping (running count, recent window, admitted utilisation, the task table) is
     * done by the next holder of the lock ({@link #lock()}), the queue's one consumer, so ending
     * one takes one compare-and-set and no lock. Ints, not handles: queueing and draining store no
     * reference (no garbage-collector write barrier). When it is full the ender takes the lock.
     */
    private final IntMpscQueue endedSlots = new IntMpscQueue(1024);
    private long ids; // guarded by lock
    private long seq; // guarded by lock
    // job counts, guarded by lock: counted with the job's bookkeeping under the lock (no atomic per job)
    private long completed;
    private long missed;
    private long failed;
    /** Jobs a dying worker held, counted as failed but never run (jobs run = completed + missed + failed - these). */
    private long died; // guarded by lock
    private final Map<String, LongAdder> missesByTask = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>(); // guarded by lock; threads alive or starting, for joining at close
    private int liveWorkers; // guarded by lock; every exit of a worker (retire, close, death) decrements it once
    private int workerSerial; // guarded by lock
    private long workersReplaced; // guarded by lock
    private final RecentCounts recent; // guarded by lock
    private final Supplier<OptimizationHint> hint;
    private final Function<String, QuantumOffset> offsets;
    /** Monotonic nanoseconds: the recent window and the fallback clock. */
    private final LongSupplier ticker;
    /** Called (outside the lock) when admitted utilisation falls or the capacity grows; may be null. */
    private final Runnable capacityFreed;
    private volatile Clock clock;
    private long lastReading; // guarded by lock: the last time-source reading taken under the lock
    private volatile SchedulerSettings settings;
    private double admitted; // guarded by lock
    private int running; // guarded by lock
    private volatile boolean closed;

    /**
     * What the scheduler reads the time from: a time source, or (source null) the fallback that
     * continues from {@code base}, read at monotonic {@code anchor}. Immutable, swapped whole.
     */
    private record Clock(TimeSource source, long base, long anchor, boolean simulated, String kind) {
    }

    /** A scheduler on the system monotonic ticker, with no capacity listener. */
    public EdfScheduler(SchedulerSettings settings, TimeSource time, Supplier<OptimizationHint> hint,
            Function<String, QuantumOffset> offsets) {
        this(settings, time, hint, offsets, System::nanoTime, null);
    }

    /**
     * @param time          the time source, or null to start on the fallback clock (the wall clock)
     * @param hint          the oracle's current hint (for statistics)
     * @param offsets       the periodic release offset of a task by name
     * @param ticker        monotonic nanoseconds, for the recent window and the fallback clock
     * @param capacityFreed called, never under the scheduler's lock, when capacity may have freed
     *                      (a task ended, the configuration changed); null for none
     */
    EdfScheduler(SchedulerSettings settings, TimeSource time, Supplier<OptimizationHint> hint,
            Function<String, QuantumOffset> offsets, LongSupplier ticker, Runnable capacityFreed) {
        this.settings = settings;
        this.hint = hint;
        this.offsets = offsets;
        this.ticker = ticker;
        this.capacityFreed = capacityFreed;
        this.recent = new RecentCounts(settings.healthWindowNanos());
        this.clock = time != null ? sourceClock(time) : fallbackClock(System.currentTimeMillis() * 1_000_000L);
        lock();
        try {
            adjustWorkers(settings.workers());
        } finally {
            lock.unlock();
        }
    }

    private static Clock sourceClock(TimeSource ts) {
        String kind = ts.kind();
        return new Clock(ts, 0, 0, "simulated".equals(kind), kind);
    }

    private Clock fallbackClock(long from) {
        return new Clock(null, from, ticker.getAsLong(), false, SchedulerStats.NO_TIME_SOURCE);
    }

    /** The scheduler's time: the source's reading, or the fallback's. No lock, no allocation. */
    private long now(Clock c) {
        TimeSource ts = c.source;
        return ts != null ? ts.nowNanos() : c.base + (ticker.getAsLong() - c.anchor);
    }

    private long now() {
        return now(clock);
    }

    /** Caller holds the lock: {@link #now()}, remembered as the last reading. */
    private long nowLocked() {
        long t = now();
        lastReading = t;
        return t;
    }

    /**
     * Takes the lock and does the bookkeeping of the tasks that ended outside it (in the order they
     * ended), so every holder sees it done. A slot claimed in the queue but not yet written stops
     * the drain there; the next holder takes it and what follows (its ender writes it a few
     * instructions later).
     */
    private void lock() {
        lock.lock();
        int slot;
        while ((slot = endedSlots.poll()) >= 0) {
            Handle e = tasks.get(slot); // still its slot: end() frees it
            running--;
            recent.recordLater(e.lastStatus);
            count(e.lastStatus);
            end(e);
        }
    }

    /** Caller holds the lock: starts workers up to {@code target}; extra ones retire when they next look for work. */
    private void adjustWorkers(int target) {
        while (liveWorkers < target) {
            Thread t = new Thread(this::work, "chronofabric-sched-worker-" + workerSerial++);
            t.setDaemon(true);
            workers.add(t);
            liveWorkers++;
            t.start();
        }
        changed.signalAll();
    }

    /**
     * Follows a change of time source in place; {@code next} null means none is present (run on
     * the fallback from the last reading). Every admitted task stays; pending jobs are re-based
     * when the new reading jumps by more than the threshold.
     */
    void setTimeSource(TimeSource next) {
        lock();
        try {
            Clock old = clock;
            if (old.source == next) {
                return;
            }
            long before;
            try {
                before = Math.max(lastReading, now(old));
            } catch (RuntimeException e) {
                before = lastReading; // the old source is already unusable: continue from what it last said
            }
            if (next == null) {
                clock = fallbackClock(before);
                LOG.warn("Time source {} went away; {} admitted tasks keep running on a monotonic fallback from its last reading {} ns "
                        + "until a time source appears", old.kind, tasks.size(), before);
            } else {
                Clock c = sourceClock(next);
                long after = next.nowNanos();
                long delta = after - before;
                clock = c;
                lastReading = after;
                if (Math.abs(delta) > settings.rebaseThresholdNanos()) {
                    int jobs = rebase(delta);
                    LOG.info("Time source {} -> {}: its reading differs by {} ns; {} pending jobs of {} tasks re-based so each keeps the "
                            + "time it had left", old.kind, c.kind, delta, jobs, tasks.size());
                } else {
                    LOG.info("Time source {} -> {} (readings differ by {} ns, within the re-base threshold: absolute times kept)",
                            old.kind, c.kind, delta);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock: shifts every pending job and every task's release base by {@code delta}. */
    private int rebase(long delta) {
        for (Handle h : tasks.values()) {
            if (h.periodic != null) {
                h.periodic.firstRelease += delta;
            }
            h.nextDeadline += delta;
        }
        shiftQueued(waiting, delta);
        shiftQueued(ready, delta);
        return waiting.size() + ready.size();
    }

    /** Caller holds the lock: shifts the queued jobs of {@code queue} by {@code delta}; their order stays. */
    private void shiftQueued(KeyedHeap queue, long delta) {
        for (int i = 0; i < queue.size(); i++) {
            Handle j = tasks.get(queue.slotAt(i));
            j.release += delta;
            j.deadline += delta;
        }
        queue.shiftKeys(delta);
    }

    /** Kind of the time source now, or {@link SchedulerStats#NO_TIME_SOURCE}. */
    String timeSourceKind() {
        return clock.kind;
    }

    /** How long the scheduler has run on its fallback clock, or -1 while a time source is present. */
    long noTimeSourceForNanos() {
        Clock c = clock;
        return c.source != null ? -1 : ticker.getAsLong() - c.anchor;
    }

    /**
     * Applies new settings at once: more workers start now; fewer, and the extra workers finish the
     * job they are running and stop. Admitted tasks all stay, even when the new bound is exceeded.
     */
    void reconfigure(SchedulerSettings next) {
        lock();
        try {
            settings = next;
            if (closed) {
                return;
            }
            recent.resize(next.healthWindowNanos());
            adjustWorkers(next.workers());
            double load = admitted / next.workers();
            if (load > next.utilisationBound() + 1e-12) {
                LOG.warn("With {} workers the admitted tasks load each worker to {}, above the bound {}; they all stay admitted, "
                        + "new tasks are refused until the load falls", next.workers(), String.format(Locale.ROOT, "%.3f", load),
                        next.utilisationBound());
            }
        } finally {
            lock.unlock();
        }
        capacityFreed(); // a larger pool or bound may admit what was refused
    }

    /** Worker threads running now: the live count (workers that retired or died are not counted). */
    int workerCount() {
        lock();
        try {
            return liveWorkers;
        } finally {
            lock.unlock();
        }
    }

    /** Worker threads of this scheduler whose thread is alive (for tests: the count must match {@link #workerCount()}). */
    int aliveWorkerThreads() {
        lock();
        try {
            return (int) workers.stream().filter(Thread::isAlive).count();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ admission

    @Override
    public ScheduledTask schedule(Task task) {
        lock();
        try {
            if (closed) {
                throw new ServiceUnavailableException("scheduler", "the scheduler is stopping; task '" + task.name() + "' not admitted");
            }
            long now = nowLocked();
            long release = Math.max(task.releaseNanos(), now);
            double u;
            if (task.isPeriodic()) {
                u = task.utilisation();
            } else {
                if (task.deadlineNanos() <= now) {
                    throw new TemporalViolationException("task '" + task.name() + "' deadline " + task.deadlineNanos() + " ns is "
                            + (now - task.deadlineNanos()) + " ns in the past");
                }
                long window = task.deadlineNanos() - release;
                if (window <= 0) {
                    throw new TemporalViolationException("task '" + task.name() + "' is released at " + release
                            + " ns, after its deadline " + task.deadlineNanos() + " ns");
                }
                u = Math.min(1.0, (double) task.estimatedNanos() / window);
            }
            SchedulerSettings s = settings;
            double load = (admitted + u) / s.workers();
            if (load > s.utilisationBound() + 1e-12) {
                throw new ResourceExhaustedException("scheduler utilisation", String.format(Locale.ROOT,
                        "admitting '%s' (utilisation %.3f) would raise the load to %.3f, above the bound %.2f",
                        task.name(), u, load, s.utilisationBound()));
            }
            admitted += u;
            Handle h = new Handle(++ids, task, u, release);
            h.slot = tasks.add(h);
            firstJob(h, release);
            enqueue(h, now);
            return h;
        } finally {
            lock.unlock();
        }
    }

    private void firstJob(Handle h, long release) {
        Task t = h.task;
        if (h.periodic == null) {
            h.release = release;
            h.deadline = t.deadlineNanos();
        } else {
            periodicJob(h, 0);
        }
    }

    /** Job k of a periodic task: nominal release firstRelease + k * period, shifted by the task's offset. */
    private void periodicJob(Handle h, long k) {
        Task t = h.task;
        Periodic p = h.periodic;
        long nominal = p.firstRelease + k * t.periodNanos();
        long shift = 0;
        QuantumOffset q;
        try {
            q = offsets.apply(t.name());
        } catch (RuntimeException e) {
            q = null; // the oracle is stopping: no offset this time, and the task keeps its next job
        }
        if (q != null && q.amplitudeNanos() > 0) {
            double cap = t.periodNanos() / 4.0;
            long raw = q.offsetAt(nominal);
            shift = (long) Math.max(-cap, Math.min(cap, raw));
            if (k == 0 && shift < 0) {
                shift = -shift; // never release the first job before it was asked for
            }
        }
        long release = nominal + shift;
        p.index = k;
        h.release = release;
        h.deadline = release + t.relativeDeadlineNanos();
    }

    /** Caller holds the lock: queues the task's pending job; a released one goes straight to the ready queue. */
    private void enqueue(Handle j, long now) {
        NEXT_DEADLINE.setRelease(j, j.deadline); // read by other threads; no full fence needed for one long
        long sq = ++seq;
        if (j.release <= now) {
            ready.add(j.slot, j.deadline, readyTie(j.task, sq));
        } else {
            waiting.add(j.slot, j.release, sq);
            if (waiting.peek() != j.slot) {
                return; // a worker already waits for an earlier release
            }
        }
        if (!clock.simulated) {
            changed.signal(); // one job, one worker; a worker that takes a job wakes the next if more are ready
        }
    }

    // ------------------------------------------------------------------ dispatch

    /** Caller holds the lock: moves released jobs to the ready queue and takes the EDF head. */
    private Handle nextDue(long now) {
        while (!waiting.isEmpty() && waiting.peekKey() <= now) {
            long sq = waiting.peekTie();
            Handle j = tasks.get(waiting.poll());
            if (!j.cancelled) {
                ready.add(j.slot, j.deadline, readyTie(j.task, sq));
            }
        }
        int s;
        while ((s = ready.poll()) >= 0) {
            Handle j = tasks.get(s);
            if (!j.cancelled) {
                running++;
                return j;
            }
        }
        return null;
    }

    private void work() {
        Thread self = Thread.currentThread();
        boolean counted = true; // still counted in liveWorkers
        Handle job = null; // taken and not yet handed to afterRun
        Clock jobClock = null; // the clock and reading it was taken at: its start time
        long jobStart = 0;
        Throwable death = null;
        try {
            while (true) {
                Handle finished = null;
                boolean exit = false;
                lock();
                try {
                    if (job != null) {
                        Handle j = job;
                        job = null;
                        finished = afterRun(j, true);
                    }
                    while (true) {
                        if (closed) {
                            exit = true;
                            break;
                        }
                        if (liveWorkers > settings.workers()) {
                            liveWorkers--; // fewer workers configured: this one retires
                            counted = false;
                            exit = true;
                            break;
                        }
                        Clock c = clock;
                        long now = nowLocked();
                        if (!c.simulated) {
                            job = nextDue(now);
                            if (job != null) {
                                jobClock = c;
                                jobStart = now;
                                if (!ready.isEmpty()) {
                                    changed.signal(); // more are due: pass the baton to an idle worker
                                }
                                break;
                            }
                        }
                        if (finished != null) {
                            break; // complete its outcome before waiting
                        }
                        Handle next = c.simulated || waiting.isEmpty() ? null : tasks.get(waiting.peek());
                        long wait = next == null ? MAX_WAIT_NANOS : Math.min(MAX_WAIT_NANOS, Math.max(1, next.release - now));
                        if (recent.hasPending()) {
                            recent.flush(ticker.getAsLong()); // jobs processTemporalQueue ran enter the window (at least every 50 ms)
                        }
                        try {
                            changed.awaitNanos(wait);
                        } catch (InterruptedException e) {
                            // nothing but a task interrupts a worker (close() signals): the flag is clear now, go on
                        }
                    }
                } finally {
                    lock.unlock();
                }
                finish(finished);
                if (exit) {
                    return;
                }
                if (job != null) {
                    run(job, jobClock, jobStart);
                    Thread.interrupted(); // a task's interrupt ends with its job: not the next job's, not the worker's
                }
            }
        } catch (Throwable e) {
            death = e;
        } finally {
            exitWorker(self, counted, job, death);
        }
    }

    /** A worker leaves: uncount it; if it died, end the job it held as failed and start a replacement. */
    private void exitWorker(Thread self, boolean counted, Handle held, Throwable death) {
        Handle finished = null;
        lock();
        try {
            workers.remove(self);
            if (counted) {
                liveWorkers--;
            }
            if (death != null) {
                if (held != null) {
                    held.result(TaskOutcome.Status.FAILED, -1, -1, death);
                    finished = afterRun(held, true);
                    died++; // counted as failed by afterRun, never run
                }
                if (!closed) {
                    workersReplaced++;
                    adjustWorkers(settings.workers());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Scheduler worker {} could not clean up after itself: {}", self.getName(), e.toString());
        } finally {
            lock.unlock();
        }
        if (death != null) {
            LOG.error("Scheduler worker {} died ({}); {}", self.getName(), death,
                    closed ? "the scheduler is stopping" : "a replacement started", death);
        }
        finish(finished);
    }

    @Override
    public int processTemporalQueue() {
        return runDue(Integer.MAX_VALUE);
    }

    /**
     * Runs at most {@code max} due jobs on the caller's thread, earliest deadline first (a bounded
     * {@link #processTemporalQueue()}; used to step a simulated schedule one job at a time).
     *
     * @return how many ran
     */
    int runDue(int max) {
        int ran = 0;
        Handle job;
        Clock c;
        long now;
        lock();
        try {
            c = clock;
            now = nowLocked();
            job = closed || max <= 0 ? null : nextDue(now);
        } finally {
            lock.unlock();
        }
        while (job != null) {
            long finish = run(job, c, now);
            ran++;
            if (ran >= max && job.periodic == null && job.endQueued()) {
                capacityFreed(); // the last one ended; its bookkeeping needs no lock now
                break;
            }
            Handle finished;
            lock();
            try {
                finished = afterRun(job, false);
                if (closed || ran >= max) {
                    job = null;
                } else {
                    Clock cur = clock;
                    if (cur == c) {
                        now = finish; // the job's finish reading is the time now: no second reading
                        lastReading = Math.max(lastReading, now);
                    } else {
                        c = cur;
                        now = nowLocked();
                    }
                    job = nextDue(now);
                }
            } finally {
                lock.unlock();
            }
            finish(finished);
        }
        return ran;
    }

    /**
     * Runs one job outside the lock (or skips it under SKIP when it cannot start in time), its
     * start being the reading it was dispatched at on clock {@code c}; records its result in its
     * handle (no outcome object).
     *
     * @return the finish reading (the start for a skipped job)
     */
    private long run(Handle h, Clock c, long start) {
        Task t = h.task;
        if (start > h.deadline && policyOf(t) == MissPolicy.SKIP) {
            h.result(TaskOutcome.Status.SKIPPED, -1, -1, null);
            record(h, TaskOutcome.Status.SKIPPED, null);
            return start;
        }
        Throwable failure = null;
        try {
            t.work().run();
        } catch (Throwable e) {
            failure = e;
        }
        long finish = now(c);
        TaskOutcome.Status status = failure != null ? TaskOutcome.Status.FAILED
                : finish > h.deadline ? TaskOutcome.Status.LATE : TaskOutcome.Status.MET;
        h.result(status, start, finish, failure);
        record(h, status, failure);
        return finish;
    }

    /**
     * Caller holds the lock: releases the next job of a periodic task, or ends the task.
     *
     * @param read whether to read the ticker for the recent window (workers), or leave the outcome
     *             for the next reading ({@link #runDue}: see {@link RecentCounts#recordLater})
     * @return the handle whose outcome must be completed once the lock is released, or null
     */
    private Handle afterRun(Handle h, boolean read) {
        running--;
        if (read) {
            recent.record(ticker.getAsLong(), h.lastStatus);
        } else {
            recent.recordLater(h.lastStatus);
        }
        count(h.lastStatus);
        if (h.periodic != null && !h.cancelled && !closed) {
            periodicJob(h, h.periodic.index + 1);
            enqueue(h, nowLocked());
            return null;
        }
        end(h);
        return h;
    }

    /** Completes a handle's outcome outside the lock, so callbacks never run under it. */
    private static void complete(Handle h) {
        if (h != null) {
            h.end();
        }
    }

    /** A task ended: completes its outcome and tells the capacity listener, outside the lock. */
    private void finish(Handle h) {
        if (h != null) {
            complete(h);
            capacityFreed();
        }
    }

    private void capacityFreed() {
        Runnable l = capacityFreed;
        if (l != null && !closed) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("Scheduler capacity listener failed: {}", e.toString());
            }
        }
    }

    private MissPolicy policyOf(Task t) {
        return t.missPolicy() != null ? t.missPolicy() : settings.missPolicy();
    }

    /** Caller holds the lock: counts a job that ran (or was skipped, or failed). */
    private void count(TaskOutcome.Status status) {
        switch (status) {
            case MET -> completed++;
            case LATE, SKIPPED -> missed++;
            case FAILED -> failed++;
            default -> {
            }
        }
    }

    /** Outside the lock: the misses by task name and the failure's log line (the counts are done under the lock). */
    private void record(Handle h, TaskOutcome.Status status, Throwable failure) {
        switch (status) {
            case LATE, SKIPPED -> missesByTask.computeIfAbsent(h.task.name(), k -> new LongAdder()).increment();
            case FAILED -> {
                LOG.warn("Task {} '{}' failed: {}", h.id(), h.task.name(), String.valueOf(failure));
            }
            default -> {
            }
        }
    }

    /** Caller holds the lock: ends a task whose job is not running (or ran): its share of utilisation and its slot go. */
    private void end(Handle h) {
        release(h);
        int slot = h.slot;
        if (slot >= 0) {
            tasks.remove(slot);
            h.slot = -1;
        }
    }

    /**
     * Caller holds the lock: the task ended (its share of utilisation goes now) but its job is
     * still running: the job's runner frees its slot when it hands the job back ({@link #end}),
     * so a slot in the ended queue always names the task that ended.
     */
    private void release(Handle h) {
        if (!h.released) {
            h.released = true;
            admitted = Math.max(0, admitted - h.utilisation);
        }
    }

    /** Caller holds the lock: ends the tasks queued in {@code queue} and empties it. */
    private void endAllQueued(KeyedHeap queue) {
        for (int i = 0; i < queue.size(); i++) {
            end(tasks.get(queue.slotAt(i)));
        }
        queue.clear();
    }

    // ------------------------------------------------------------------ management

    /** Cancels by id: a search of the task table (cancelling removes the job from its queue, a search too). */
    @Override
    public boolean cancel(TaskId id) {
        long v = id.value();
        Handle found = null;
        lock();
        try {
            for (int i = 0, n = tasks.slotsUsed(); i < n; i++) {
                Handle h = tasks.get(i);
                if (h != null && h.idValue == v && !h.released) {
                    found = h;
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        return found != null && cancel(found);
    }

    /** Cancels an admitted task through its handle. */
    boolean cancel(Handle h) {
        Handle cancelled;
        lock();
        try {
            if (h.released || h.cancelled) {
                return false;
            }
            h.cancelled = true;
            h.fixed = new TaskOutcome(h.id(), h.task.name(), TaskOutcome.Status.CANCELLED, h.lastRelease(), h.nextDeadline, -1, -1,
                    null);
            if (waiting.remove(h.slot) || ready.remove(h.slot)) {
                end(h);
            } else {
                release(h); // its job is running: the runner frees the slot
            }
            cancelled = h;
        } finally {
            lock.unlock();
        }
        finish(cancelled);
        return true;
    }

    @Override
    public double load() {
        lock();
        try {
            return Math.min(1.0, admitted / settings.workers());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ScheduledTask> pending() {
        lock();
        try {
            List<ScheduledTask> list = new ArrayList<>(tasks.size());
            for (Handle h : tasks.values()) {
                if (!h.released) {
                    list.add(h); // not one that ended while its job runs
                }
            }
            list.sort(Comparator.comparing(ScheduledTask::id));
            return list;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SchedulerStats stats() {
        Map<String, Long> misses = new HashMap<>();
        missesByTask.forEach((k, v) -> misses.put(k, v.sum()));
        OptimizationHint h = hint.get();
        lock();
        try {
            SchedulerSettings s = settings;
            return new SchedulerStats(Math.min(1.0, admitted / s.workers()), ready.size() + waiting.size(), running,
                    completed, missed, failed, misses, h, liveWorkers, s.workers(), workersReplaced, clock.kind,
                    recent.snapshot(ticker.getAsLong()), Map.of());
        } finally {
            lock.unlock();
        }
    }

    /** Jobs run so far (met, late, skipped or failed). */
    long jobsRun() {
        lock();
        try {
            return completed + missed + failed - died;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops: refuses new tasks, waits up to the shutdown timeout for running jobs, and completes
     * every admitted task that has not ended with {@link TaskOutcome.Status#ABANDONED}, logging it.
     */
    public void close() {
        List<Handle> abandoned;
        List<Thread> threads;
        lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
            threads = new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
        long end = System.nanoTime() + settings.shutdownTimeoutNanos();
        for (Thread w : threads) {
            try {
                w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock();
        try {
            abandoned = new ArrayList<>();
            for (Handle h : tasks.values()) {
                if (!h.released) {
                    abandoned.add(h);
                }
            }
            for (Handle h : abandoned) {
                h.fixed = new TaskOutcome(h.id(), h.task.name(), TaskOutcome.Status.ABANDONED, -1, h.nextDeadline, -1, -1, null);
                release(h);
            }
            endAllQueued(waiting);
            endAllQueued(ready); // a job still running (a processTemporalQueue caller's) keeps its slot until its runner hands it back
        } finally {
            lock.unlock();
        }
        abandoned.forEach(EdfScheduler::complete);
        if (!abandoned.isEmpty()) {
            int shown = Math.min(abandoned.size(), MAX_LOGGED_TASKS);
            LOG.warn("Scheduler stopped with {} admitted tasks not finished; each was completed as ABANDONED: {}{}", abandoned.size(),
                    abandoned.subList(0, shown), shown < abandoned.size() ? " and " + (abandoned.size() - shown) + " more" : "");
        }
    }
}
