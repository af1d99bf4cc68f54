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
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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

    /** Earliest deadline, then higher priority, then submission order. */
    static final Comparator<Job> EDF = (a, b) -> {
        if (a.deadline != b.deadline) {
            return a.deadline < b.deadline ? -1 : 1;
        }
        if (a.priority != b.priority) {
            return a.priority > b.priority ? -1 : 1;
        }
        return Long.compare(a.seq, b.seq);
    };
    /** Not yet released: by release time, then submission order (released jobs move to the EDF queue). */
    static final Comparator<Job> BY_RELEASE = (a, b) -> a.release != b.release ? (a.release < b.release ? -1 : 1)
            : Long.compare(a.seq, b.seq);

    /** One release of a task. */
    static final class Job {
        final Handle handle;
        final long index;
        final long release;
        final long deadline;
        final long seq;
        final int priority;

        Job(Handle handle, long index, long release, long deadline, long seq) {
            this.handle = handle;
            this.priority = handle.task().priority().ordinal();
            this.index = index;
            this.release = release;
            this.deadline = deadline;
            this.seq = seq;
        }

        /** This job shifted by {@code delta} (a time-source re-base); same place in submission order. */
        Job shifted(long delta) {
            return new Job(handle, index, release + delta, deadline + delta, seq);
        }
    }

    /** The handle of an admitted task. */
    final class Handle implements ScheduledTask {
        private final TaskId id;
        private final Task task;
        private final double utilisation;
        private long firstRelease; // guarded by lock; shifted by a re-base
        /** Made when first asked for ({@link #outcome()}): most tasks are never waited on, so most never need one. */
        private volatile CompletableFuture<TaskOutcome> outcome;
        /** Set once the task ended (its last outcome is final), before the future, if any, is completed. */
        private volatile boolean ended;
        volatile boolean cancelled;
        volatile long nextDeadline;
        volatile TaskOutcome last;

        Handle(TaskId id, Task task, double utilisation, long firstRelease) {
            this.id = id;
            this.task = task;
            this.utilisation = utilisation;
            this.firstRelease = firstRelease;
        }

        @Override
        public TaskId id() {
            return id;
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
                if (ended) {
                    f.complete(last); // ended before anyone asked (ended is written before the future is read: no lost completion)
                }
            }
            return f.minimalCompletionStage();
        }

        /** The task ended: its outcome is final. */
        void end() {
            ended = true;
            CompletableFuture<TaskOutcome> f = outcome;
            if (f != null) {
                f.complete(last);
            }
        }

        @Override
        public boolean cancel() {
            return EdfScheduler.this.cancel(id);
        }

        @Override
        public boolean isDone() {
            return ended;
        }

        @Override
        public String toString() {
            return id + " '" + task.name() + "'";
        }
    }

    private static final java.lang.invoke.VarHandle OUTCOME;

    static {
        try {
            OUTCOME = java.lang.invoke.MethodHandles.lookup().findVarHandle(Handle.class, "outcome", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Job> ready = new PriorityQueue<>(EDF);
    private final PriorityQueue<Job> waiting = new PriorityQueue<>(BY_RELEASE);
    private final HandleMap<Handle> active = new HandleMap<>(); // by id value: no map entry, no boxing
    private long ids; // guarded by lock
    private long seq; // guarded by lock
    private final LongAdder completed = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder jobs = new LongAdder();
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
        lock.lock();
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
        lock.lock();
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
                        + "until a time source appears", old.kind, active.size(), before);
            } else {
                Clock c = sourceClock(next);
                long after = next.nowNanos();
                long delta = after - before;
                clock = c;
                lastReading = after;
                if (Math.abs(delta) > settings.rebaseThresholdNanos()) {
                    int jobs = rebase(delta);
                    LOG.info("Time source {} -> {}: its reading differs by {} ns; {} pending jobs of {} tasks re-based so each keeps the "
                            + "time it had left", old.kind, c.kind, delta, jobs, active.size());
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
        for (Handle h : active.values()) {
            h.firstRelease += delta;
            h.nextDeadline += delta;
        }
        List<Job> w = new ArrayList<>(waiting);
        List<Job> r = new ArrayList<>(ready);
        waiting.clear();
        ready.clear();
        w.forEach(j -> waiting.add(j.shifted(delta)));
        r.forEach(j -> ready.add(j.shifted(delta)));
        return w.size() + r.size();
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
        lock.lock();
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
        lock.lock();
        try {
            return liveWorkers;
        } finally {
            lock.unlock();
        }
    }

    /** Worker threads of this scheduler whose thread is alive (for tests: the count must match {@link #workerCount()}). */
    int aliveWorkerThreads() {
        lock.lock();
        try {
            return (int) workers.stream().filter(Thread::isAlive).count();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ admission

    @Override
    public ScheduledTask schedule(Task task) {
        lock.lock();
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
            Handle h = new Handle(TaskId.of(++ids), task, u, release);
            active.put(h.id.value(), h);
            enqueue(firstJob(h, release), now);
            return h;
        } finally {
            lock.unlock();
        }
    }

    private Job firstJob(Handle h, long release) {
        Task t = h.task;
        if (!t.isPeriodic()) {
            return new Job(h, 0, release, t.deadlineNanos(), ++seq);
        }
        return periodicJob(h, 0);
    }

    /** Job k of a periodic task: nominal release firstRelease + k * period, shifted by the task's offset. */
    private Job periodicJob(Handle h, long k) {
        Task t = h.task;
        long nominal = h.firstRelease + k * t.periodNanos();
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
        return new Job(h, k, release, release + t.relativeDeadlineNanos(), ++seq);
    }

    /** Caller holds the lock: a released job goes straight to the ready queue. */
    private void enqueue(Job j, long now) {
        j.handle.nextDeadline = j.deadline;
        if (j.release <= now) {
            ready.add(j);
        } else {
            waiting.add(j);
            if (waiting.peek() != j) {
                return; // a worker already waits for an earlier release
            }
        }
        if (!clock.simulated) {
            changed.signal(); // one job, one worker; a worker that takes a job wakes the next if more are ready
        }
    }

    // ------------------------------------------------------------------ dispatch

    /** Caller holds the lock: moves released jobs to the ready queue and takes the EDF head. */
    private Job nextDue(long now) {
        Job j;
        while ((j = waiting.peek()) != null && j.release <= now) {
            waiting.poll();
            if (!j.handle.cancelled) {
                ready.add(j);
            }
        }
        while ((j = ready.poll()) != null) {
            if (!j.handle.cancelled) {
                running++;
                return j;
            }
        }
        return null;
    }

    private void work() {
        Thread self = Thread.currentThread();
        boolean counted = true; // still counted in liveWorkers
        Job job = null; // taken and not yet handed to afterRun
        TaskOutcome done = null;
        Throwable death = null;
        try {
            while (true) {
                Handle finished = null;
                boolean exit = false;
                lock.lock();
                try {
                    if (job != null) {
                        Job j = job;
                        job = null;
                        finished = afterRun(j, done);
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
                                if (!ready.isEmpty()) {
                                    changed.signal(); // more are due: pass the baton to an idle worker
                                }
                                break;
                            }
                        }
                        if (finished != null) {
                            break; // complete its outcome before waiting
                        }
                        Job next = c.simulated ? null : waiting.peek();
                        long wait = next == null ? MAX_WAIT_NANOS : Math.min(MAX_WAIT_NANOS, Math.max(1, next.release - now));
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
                    done = run(job);
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
    private void exitWorker(Thread self, boolean counted, Job held, Throwable death) {
        Handle finished = null;
        lock.lock();
        try {
            workers.remove(self);
            if (counted) {
                liveWorkers--;
            }
            if (death != null) {
                if (held != null) {
                    Task t = held.handle.task;
                    finished = afterRun(held, new TaskOutcome(held.handle.id, t.name(), TaskOutcome.Status.FAILED, held.release,
                            held.deadline, -1, -1, death));
                    failed.increment();
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
        Job job;
        lock.lock();
        try {
            job = closed || max <= 0 ? null : nextDue(nowLocked());
        } finally {
            lock.unlock();
        }
        while (job != null) {
            TaskOutcome outcome = run(job);
            ran++;
            Handle finished;
            lock.lock();
            try {
                finished = afterRun(job, outcome);
                job = closed || ran >= max ? null : nextDue(nowLocked());
            } finally {
                lock.unlock();
            }
            finish(finished);
        }
        return ran;
    }

    /** Runs one job outside the lock (or skips it under SKIP when it cannot start in time). */
    private TaskOutcome run(Job job) {
        Handle h = job.handle;
        Task t = h.task;
        Clock c = clock; // start and finish from one clock, even if the source changes meanwhile
        long start = now(c);
        TaskOutcome outcome;
        jobs.increment();
        if (start > job.deadline && policyOf(t) == MissPolicy.SKIP) {
            outcome = new TaskOutcome(h.id, t.name(), TaskOutcome.Status.SKIPPED, job.release, job.deadline, -1, -1, null);
        } else {
            Throwable failure = null;
            try {
                t.work().run();
            } catch (Throwable e) {
                failure = e;
            }
            long finish = now(c);
            TaskOutcome.Status status = failure != null ? TaskOutcome.Status.FAILED
                    : finish > job.deadline ? TaskOutcome.Status.LATE : TaskOutcome.Status.MET;
            outcome = new TaskOutcome(h.id, t.name(), status, job.release, job.deadline, start, finish, failure);
        }
        record(outcome);
        return outcome;
    }

    /**
     * Caller holds the lock: releases the next job of a periodic task, or ends the task.
     *
     * @return the handle whose outcome must be completed once the lock is released, or null
     */
    private Handle afterRun(Job job, TaskOutcome outcome) {
        Handle h = job.handle;
        Task t = h.task;
        running--;
        h.last = outcome;
        recent.record(ticker.getAsLong(), outcome.status());
        if (t.isPeriodic() && !h.cancelled && !closed) {
            enqueue(periodicJob(h, job.index + 1), nowLocked());
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

    private void record(TaskOutcome o) {
        switch (o.status()) {
            case MET -> completed.increment();
            case LATE, SKIPPED -> {
                missed.increment();
                missesByTask.computeIfAbsent(o.name(), k -> new LongAdder()).increment();
            }
            case FAILED -> {
                failed.increment();
                LOG.warn("Task {} '{}' failed: {}", o.id(), o.name(), String.valueOf(o.failure()));
            }
            default -> {
            }
        }
    }

    /** Caller holds the lock: ends a task, releasing its share of utilisation. */
    private void end(Handle h) {
        if (active.remove(h.id.value()) != null) {
            admitted = Math.max(0, admitted - h.utilisation);
        }
    }

    // ------------------------------------------------------------------ management

    @Override
    public boolean cancel(TaskId id) {
        Handle cancelled;
        lock.lock();
        try {
            Handle h = active.get(id.value());
            if (h == null || h.cancelled) {
                return false;
            }
            h.cancelled = true;
            waiting.removeIf(j -> j.handle == h);
            ready.removeIf(j -> j.handle == h);
            TaskOutcome last = h.last;
            h.last = new TaskOutcome(h.id, h.task.name(), TaskOutcome.Status.CANCELLED, last == null ? -1 : last.releaseNanos(),
                    h.nextDeadline, -1, -1, null);
            end(h);
            cancelled = h;
        } finally {
            lock.unlock();
        }
        finish(cancelled);
        return true;
    }

    @Override
    public double load() {
        lock.lock();
        try {
            return Math.min(1.0, admitted / settings.workers());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ScheduledTask> pending() {
        lock.lock();
        try {
            List<ScheduledTask> list = new ArrayList<>(active.values());
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
        lock.lock();
        try {
            SchedulerSettings s = settings;
            return new SchedulerStats(Math.min(1.0, admitted / s.workers()), ready.size() + waiting.size(), running,
                    completed.sum(), missed.sum(), failed.sum(), misses, h, liveWorkers, s.workers(), workersReplaced, clock.kind,
                    recent.snapshot(ticker.getAsLong()), Map.of());
        } finally {
            lock.unlock();
        }
    }

    /** Jobs run so far (met, late, skipped or failed). */
    long jobsRun() {
        return jobs.sum();
    }

    /**
     * Stops: refuses new tasks, waits up to the shutdown timeout for running jobs, and completes
     * every admitted task that has not ended with {@link TaskOutcome.Status#ABANDONED}, logging it.
     */
    public void close() {
        List<Handle> abandoned;
        List<Thread> threads;
        lock.lock();
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
        lock.lock();
        try {
            abandoned = new ArrayList<>(active.values());
            for (Handle h : abandoned) {
                h.last = new TaskOutcome(h.id, h.task.name(), TaskOutcome.Status.ABANDONED, -1, h.nextDeadline, -1, -1, null);
                end(h);
            }
            waiting.clear();
            ready.clear();
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
