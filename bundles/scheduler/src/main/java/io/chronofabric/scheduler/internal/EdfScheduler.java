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
        /** The pending (or running, or last) job's deadline: written under the lock (opaque: read without it). */
        long deadline;

        Periodic(long firstRelease) {
            this.firstRelease = firstRelease;
        }
    }

    /**
     * What few tasks need: the outcome fixed when a task ended other than by running (cancelled,
     * abandoned, worker died), and the failure of the last job that threw. Made on first use, so
     * a task that runs and ends normally never has one.
     */
    static final class Rare {
        volatile TaskOutcome fixed;
        volatile Throwable lastFailure;
        /** How far re-bases moved a one-shot task's deadline from the task's own; written under the lock. */
        volatile long shift;
    }

    /** The job statuses by ordinal: a job's status is kept as a byte (-1: no job ran yet). */
    private static final TaskOutcome.Status[] STATUSES = TaskOutcome.Status.values();
    private static final byte NO_STATUS = -1;

    /**
     * The handle of an admitted task, and its one pending job: a task has at most one job queued or
     * running at a time (a periodic task's next job is released when the previous one ran), so the
     * job's fields live here and one object per one-shot task is all admission allocates (80 bytes
     * with compressed references, 112 before: what only some tasks need lives in {@link Periodic}
     * or {@link Rare}, a one-shot job's deadline is its task's, the task id and the outcome record
     * are made when someone asks for them). The queues hold the handle's slot number, not the handle.
     */
    final class Handle implements ScheduledTask {
        private final long idValue;
        private final Task task;
        /** Null for a one-shot task. */
        final Periodic periodic;
        /** Its slot in the task table while admitted, -1 once ended; guarded by lock. */
        int slot = -1;
        /** The pending (or running, or last) job's release; guarded by lock while queued; the runner reads it while it runs the job. */
        long release;
        /** Its share of admitted utilisation. */
        final double utilisation;
        // the last job's result, written by its runner before the job is handed back (read once the task ended);
        // the status is written last, with a release store: a job run outside the lock is handed back by it (see endOutside)
        private byte lastStatus = NO_STATUS;
        private long lastStart = -1;
        private long lastFinish = -1;
        /** Made when first asked for ({@link #outcome()}): most tasks are never waited on, so most never need one. */
        private volatile CompletableFuture<TaskOutcome> outcome;
        /** Made when first needed ({@link #rare()}). */
        private volatile Rare rare;
        /**
         * Set once the task ended (its last outcome is final), before the future, if any, is read:
         * a volatile write ({@link #end()}, or {@link #endOutside()} by the runner of a job run
         * outside the lock). {@link #outcome()} installs the future with a compare-and-set, then
         * reads this flag; the writer writes the flag, then reads the future: no completion can be
         * missed (the lock holder doing the bookkeeping also completes a future it finds not done,
         * which is then already done or about to be).
         */
        private volatile boolean ended;
        volatile boolean cancelled;
        /** Its share of utilisation was given back: the task ended (its slot may still be held by its running job); guarded by lock. */
        boolean released;

        Handle(long idValue, Task task, double utilisation, long firstRelease) {
            this.idValue = idValue;
            this.task = task;
            this.utilisation = utilisation;
            this.periodic = task.isPeriodic() ? new Periodic(firstRelease) : null;
        }

        /**
         * The pending (or running, or last) job's deadline, also {@link #nextDeadlineNanos()}: a
         * periodic task keeps it in its {@link Periodic}; a one-shot task's is the task's own,
         * moved by re-bases (kept in its {@link Rare}, made by the first re-base that moves it).
         */
        long deadline() {
            Periodic p = periodic;
            if (p != null) {
                return (long) PERIODIC_DEADLINE.getOpaque(p);
            }
            Rare r = rare;
            return r == null ? task.deadlineNanos() : task.deadlineNanos() + r.shift;
        }

        Rare rare() {
            Rare r = rare;
            if (r == null) {
                r = new Rare();
                if (!RARE.compareAndSet(this, null, r)) {
                    r = rare;
                }
            }
            return r;
        }

        /** The runner records its job's result (no object made, unless the job failed). */
        void result(TaskOutcome.Status status, long start, long finish, Throwable failure) {
            lastStart = start;
            lastFinish = finish;
            if (failure != null) {
                rare().lastFailure = failure;
            } else {
                Rare r = rare;
                if (r != null && r.lastFailure != null) {
                    r.lastFailure = null; // a periodic task's later job did not fail
                }
            }
            if (periodic != null) {
                periodic.lastRelease = release;
            }
            STATUS.setRelease(this, (byte) status.ordinal()); // last: publishes the result (see endOutside)
        }

        /** Whether the job's runner handed it back (its result is recorded); acquire: the result is visible then. */
        boolean handedBack() {
            return (byte) STATUS.getAcquire(this) >= 0;
        }

        /** The last job's status, or null before any job ran. */
        TaskOutcome.Status lastStatus() {
            byte b = lastStatus;
            return b < 0 ? null : STATUSES[b];
        }

        /** Fixes the outcome (cancelled, abandoned): caller holds the lock. */
        void fix(TaskOutcome.Status status, long releaseNanos) {
            rare().fixed = new TaskOutcome(id(), task.name(), status, releaseNanos, nextDeadlineNanos(), -1, -1, null);
        }

        /** The last outcome, made now: the fixed one, or the last job's, or null before any job ran. */
        TaskOutcome last() {
            Rare r = rare;
            TaskOutcome f = r == null ? null : r.fixed;
            if (f != null) {
                return f;
            }
            TaskOutcome.Status st = lastStatus();
            return st == null ? null
                    : new TaskOutcome(id(), task.name(), st, lastRelease(), deadline(), lastStart, lastFinish, r == null ? null : r.lastFailure);
        }

        /** Release of the last job that ran, or -1. */
        long lastRelease() {
            if (periodic != null) {
                return periodic.lastRelease;
            }
            return lastStatus < 0 ? -1 : release;
        }

        /** A new id object each time (not kept: 4 bytes less per task; ids are equal by value). */
        @Override
        public TaskId id() {
            return TaskId.of(idValue);
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
            return deadline();
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
                    f.complete(last()); // ended before anyone asked (see the field comment)
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
         * A one-shot task's job, registered when it was dispatched ({@link EdfScheduler#runDue}),
         * ran outside the lock and was handed back ({@link #result}): the task ended; its
         * bookkeeping is left to the next holder of the lock. A volatile store of the flag, then a
         * volatile read of the future: with {@link #outcome()}'s compare-and-set and its volatile read
         * of the flag, at least one side sees the other, so a future installed at this very moment
         * is completed here or there, never left to a later lock holder (a release store followed by
         * an acquire load may pass each other, and nothing bounds when the next holder comes).
         */
        void endOutside() {
            ended = true;
            CompletableFuture<TaskOutcome> f = outcome;
            if (f != null) {
                f.complete(last());
            }
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

    /** A one-shot task's share of utilisation: its estimate over the time from its release to its deadline (at most 1). */
    private static double oneShotUtilisation(long estimatedNanos, long window) {
        return Math.min(1.0, (double) estimatedNanos / window);
    }

    private static final java.lang.invoke.VarHandle OUTCOME;
    private static final java.lang.invoke.VarHandle PERIODIC_DEADLINE;
    private static final java.lang.invoke.VarHandle RARE;
    private static final java.lang.invoke.VarHandle STATUS;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            OUTCOME = l.findVarHandle(Handle.class, "outcome", CompletableFuture.class);
            PERIODIC_DEADLINE = l.findVarHandle(Periodic.class, "deadline", long.class);
            RARE = l.findVarHandle(Handle.class, "rare", Rare.class);
            STATUS = l.findVarHandle(Handle.class, "lastStatus", byte.class);
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
     * The slots of the one-shot jobs that run outside the lock and whose runner will not take it
     * again (the last job of a {@link #runDue} call), registered when they were dispatched: the
     * runner hands the job back with a release store and ends the task with one volatile store
     * ({@link Handle#endOutside()}), and the next holder of the lock that sees both does the
     * bookkeeping (running count, recent window, admitted utilisation, the task table: {@link
     * #lock()}). So ending such a task takes no lock and no compare-and-set; its outcome, if
     * anyone asked, is completed by the runner (see {@link Handle#ended}). Only bounded
     * {@code runDue(max)} calls (simulated stepping, tests, the benchmark) end jobs this way;
     * workers and {@code processTemporalQueue()} end theirs under the lock. Guarded by lock; as many entries
     * as such jobs run at once (one per thread at most).
     */
    private int[] outside = new int[4];
    private int outsideCount; // guarded by lock
    /** Handles whose future {@link #lock()} found not completed (see {@link Handle#ended}): completed by the next {@link #unlock()}. */
    private List<Handle> lateCompletions; // guarded by lock
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
    /** The admitted utilisation the settings allow, (bound + 1e-12) * workers; guarded by lock. */
    private double capacity;
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
        this.capacity = capacityOf(settings);
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
            unlock();
        }
    }

    /** The sum of utilisations admission allows: a load (sum / workers) up to the bound, with a margin for rounding. */
    private static double capacityOf(SchedulerSettings s) {
        return (s.utilisationBound() + 1e-12) * s.workers();
    }

    // the refusals, out of the admission path (it stays small enough to be inlined where it is called)

    private static ServiceUnavailableException stopping(Task task) {
        return new ServiceUnavailableException("scheduler", "the scheduler is stopping; task '" + task.name() + "' not admitted");
    }

    private static TemporalViolationException deadlinePassed(Task task, long now) {
        return new TemporalViolationException("task '" + task.name() + "' deadline " + task.deadlineNanos() + " ns is "
                + (now - task.deadlineNanos()) + " ns in the past");
    }

    private static TemporalViolationException releasedAfterDeadline(Task task, long release) {
        return new TemporalViolationException("task '" + task.name() + "' is released at " + release + " ns, after its deadline "
                + task.deadlineNanos() + " ns");
    }

    /** The refusal of a task whose utilisation {@code u} would raise the admitted sum to {@code sum}. */
    private ResourceExhaustedException overBound(Task task, double u, double sum) {
        SchedulerSettings s = settings;
        return new ResourceExhaustedException("scheduler utilisation", String.format(Locale.ROOT,
                "admitting '%s' (utilisation %.3f) would raise the load to %.3f, above the bound %.2f",
                task.name(), u, sum / s.workers(), s.utilisationBound()));
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
     * Takes the lock and does the bookkeeping of the tasks that ended outside it ({@link
     * #outside}), so every holder sees it done. A task whose runner has not yet handed its job back
     * and set its ended flag, or whose stores are not yet visible here, stays for a later holder.
     */
    private void lock() {
        lock.lock();
        if (outsideCount != 0) {
            endOutside();
        }
    }

    /** Releases the lock, then completes the futures {@link #lock()} found left out (rare: see {@link Handle#ended}). */
    private void unlock() {
        List<Handle> late = lateCompletions;
        if (late == null) {
            lock.unlock();
            return;
        }
        lateCompletions = null;
        lock.unlock();
        late.forEach(EdfScheduler::complete);
    }

    /** Caller holds the lock: the bookkeeping of the registered jobs that were handed back and whose task ended. */
    private void endOutside() {
        int[] os = outside;
        for (int i = 0; i < outsideCount;) {
            Handle e = tasks.get(os[i]); // still its slot: end() frees it
            if (!(e.handedBack() && e.ended)) {
                i++;
                continue;
            }
            os[i] = os[--outsideCount];
            running--;
            TaskOutcome.Status st = e.lastStatus();
            recent.recordLater(st);
            count(st);
            end(e);
            // the flag is visible, so is a future installed before the runner read none (see Handle#ended)
            CompletableFuture<TaskOutcome> f = e.outcome;
            if (f != null && !f.isDone()) {
                if (lateCompletions == null) {
                    lateCompletions = new ArrayList<>(2);
                }
                lateCompletions.add(e);
            }
        }
    }

    /** Caller holds the lock: registers a one-shot job that runs outside the lock as its runner's last (see {@link #outside}). */
    private void registerOutside(Handle j) {
        if (outsideCount == outside.length) {
            outside = java.util.Arrays.copyOf(outside, outsideCount * 2);
        }
        outside[outsideCount++] = j.slot;
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
            unlock();
        }
    }

    /** Caller holds the lock: shifts every pending job and every task's release base by {@code delta}. */
    private int rebase(long delta) {
        for (Handle h : tasks.values()) {
            if (h.periodic != null) {
                h.periodic.firstRelease += delta;
            }
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
            Periodic p = j.periodic;
            if (p != null) {
                PERIODIC_DEADLINE.setOpaque(p, p.deadline + delta);
            } else {
                Rare r = j.rare();
                r.shift = r.shift + delta; // under the lock: the only writer
            }
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
            capacity = capacityOf(next);
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
            unlock();
        }
        capacityFreed(); // a larger pool or bound may admit what was refused
    }

    /** Worker threads running now: the live count (workers that retired or died are not counted). */
    int workerCount() {
        lock();
        try {
            return liveWorkers;
        } finally {
            unlock();
        }
    }

    /** Worker threads of this scheduler whose thread is alive (for tests: the count must match {@link #workerCount()}). */
    int aliveWorkerThreads() {
        lock();
        try {
            return (int) workers.stream().filter(Thread::isAlive).count();
        } finally {
            unlock();
        }
    }

    // ------------------------------------------------------------------ admission

    @Override
    public ScheduledTask schedule(Task task) {
        lock();
        try {
            if (closed) {
                throw stopping(task);
            }
            long now = nowLocked();
            long release = Math.max(task.releaseNanos(), now);
            double u;
            if (task.isPeriodic()) {
                u = task.utilisation();
            } else {
                if (task.deadlineNanos() <= now) {
                    throw deadlinePassed(task, now);
                }
                long window = task.deadlineNanos() - release;
                if (window <= 0) {
                    throw releasedAfterDeadline(task, release);
                }
                u = oneShotUtilisation(task.estimatedNanos(), window);
            }
            double sum = admitted + u;
            if (sum > capacity) { // (sum / workers > bound), without a division
                throw overBound(task, u, sum);
            }
            admitted = sum;
            Handle h = new Handle(++ids, task, u, release);
            h.slot = tasks.add(h);
            firstJob(h, release);
            enqueue(h, now);
            return h;
        } finally {
            unlock();
        }
    }

    private void firstJob(Handle h, long release) {
        Task t = h.task;
        if (h.periodic == null) {
            h.release = release; // its deadline is the task's
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
        PERIODIC_DEADLINE.setOpaque(p, release + t.relativeDeadlineNanos()); // read by other threads (nextDeadlineNanos)
    }

    /** Caller holds the lock: queues the task's pending job; a released one goes straight to the ready queue. */
    private void enqueue(Handle j, long now) {
        long sq = ++seq;
        if (j.release <= now) {
            ready.add(j.slot, j.deadline(), readyTie(j.task, sq));
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
                ready.add(j.slot, j.deadline(), readyTie(j.task, sq));
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
                    unlock();
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
            unlock();
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
        boolean last; // the job is this call's last and is a one-shot one: registered to end outside the lock
        lock();
        try {
            c = clock;
            now = nowLocked();
            job = closed || max <= 0 ? null : nextDue(now);
            last = job != null && max == 1 && job.periodic == null;
            if (last) {
                registerOutside(job);
            }
        } finally {
            unlock();
        }
        while (job != null) {
            long finish;
            try {
                finish = run(job, c, now);
            } catch (RuntimeException | Error e) {
                if (last) { // (only the time source can throw here) hand it back, or it would stay registered
                    job.result(TaskOutcome.Status.FAILED, -1, -1, e);
                    job.endOutside();
                }
                throw e;
            }
            ran++;
            if (last) {
                job.endOutside();
                capacityFreed(); // it ended; its bookkeeping needs no lock now
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
                    last = job != null && ran + 1 == max && job.periodic == null;
                    if (last) {
                        registerOutside(job);
                    }
                }
            } finally {
                unlock();
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
        long deadline = h.deadline();
        if (start > deadline && policyOf(t) == MissPolicy.SKIP) {
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
                : finish > deadline ? TaskOutcome.Status.LATE : TaskOutcome.Status.MET;
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
            recent.record(ticker.getAsLong(), h.lastStatus());
        } else {
            recent.recordLater(h.lastStatus());
        }
        count(h.lastStatus());
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
     * so a slot registered in {@link #outside} always names the task that ended.
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
            unlock();
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
            h.fix(TaskOutcome.Status.CANCELLED, h.lastRelease());
            if (waiting.remove(h.slot) || ready.remove(h.slot)) {
                end(h);
            } else {
                release(h); // its job is running: the runner frees the slot
            }
            cancelled = h;
        } finally {
            unlock();
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
            unlock();
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
            list.sort(Comparator.comparingLong(t -> ((Handle) t).idValue));
            return list;
        } finally {
            unlock();
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
            unlock();
        }
    }

    /** Jobs run so far (met, late, skipped or failed). */
    long jobsRun() {
        lock();
        try {
            return completed + missed + failed - died;
        } finally {
            unlock();
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
            unlock();
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
                h.fix(TaskOutcome.Status.ABANDONED, -1);
                release(h);
            }
            endAllQueued(waiting);
            endAllQueued(ready); // a job still running (a processTemporalQueue caller's) keeps its slot until its runner hands it back
        } finally {
            unlock();
        }
        abandoned.forEach(EdfScheduler::complete);
        if (!abandoned.isEmpty()) {
            int shown = Math.min(abandoned.size(), MAX_LOGGED_TASKS);
            LOG.warn("Scheduler stopped with {} admitted tasks not finished; each was completed as ABANDONED: {}{}", abandoned.size(),
                    abandoned.subList(0, shown), shown < abandoned.size() ? " and " + (abandoned.size() - shown) + " more" : "");
        }
    }
}
