package io.chronofabric.scheduler.internal;

import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.ScheduledWork;
import io.chronofabric.api.scheduler.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task whiteboard, independent of OSGi: {@link ScheduledWork} registrations (keyed by service
 * id) and the scheduler they run on. {@link #attach} schedules every registered task on a (new)
 * scheduler; {@link #detach} forgets the handles of a scheduler that stops (it completes them as
 * abandoned), so the next {@code attach} schedules them again. A task refused for capacity, or
 * because the scheduler is stopping, is logged, listed by {@link #refused()} and retried by
 * {@link #retryRefused()} (the scheduler calls it when capacity frees), in registration order.
 * Thread-safe: every method but the fast path of {@code retryRefused} holds this object's monitor;
 * it calls the scheduler under it, and the scheduler never calls back under its own lock.
 */
final class TaskWhiteboard {

    private static final Logger LOG = LoggerFactory.getLogger(TaskWhiteboard.class);

    private enum State {
        /** Waiting for a scheduler to attach. */
        WAITING,
        /** Admitted: {@code handle} is set. */
        SCHEDULED,
        /** Refused for capacity or a stopping scheduler: retried when capacity frees. */
        REFUSED,
        /** Invalid: not tried again until the service changes or a scheduler attaches. */
        INVALID
    }

    private static final class Entry {
        final long serviceId;
        final ScheduledWork work;
        final String origin;
        Task task; // the valid periodic task, or null
        String name; // the name task() last gave, for log lines; null before or when it gave none
        ScheduledTask handle;
        State state = State.WAITING;
        String reason;

        Entry(long serviceId, ScheduledWork work, String origin) {
            this.serviceId = serviceId;
            this.work = work;
            this.origin = origin;
        }

        String label() {
            return (name != null ? "'" + name + "'" : "whiteboard task") + " (service " + serviceId + " " + origin + ")";
        }
    }

    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private DeadlineScheduler scheduler;
    private volatile int refusedCount; // the fast path of retryRefused: nothing to do when 0

    /**
     * A {@link ScheduledWork} service appeared: asks it for its task and schedules it if a
     * scheduler is attached.
     *
     * @param origin the providing bundle, for log lines
     */
    synchronized void add(long serviceId, ScheduledWork work, String origin) {
        Entry e = new Entry(serviceId, work, origin);
        Entry old = entries.put(serviceId, e);
        if (old != null) {
            unschedule(old);
        }
        e.task = taskOf(e);
        if (e.task != null && scheduler != null) {
            schedule(e);
        }
        countRefused();
    }

    /** The service's properties changed: asks it for its task again and reschedules it. */
    synchronized void update(long serviceId) {
        Entry e = entries.get(serviceId);
        if (e == null) {
            return;
        }
        unschedule(e);
        e.state = State.WAITING;
        e.reason = null;
        e.task = taskOf(e);
        if (e.task != null && scheduler != null) {
            schedule(e);
        }
        countRefused();
    }

    /** The service went away: cancels its task (a running job finishes). */
    synchronized void remove(long serviceId) {
        Entry e = entries.remove(serviceId);
        if (e != null) {
            unschedule(e);
            LOG.debug("Whiteboard task {} unregistered", e.label());
        }
        countRefused();
    }

    /** A scheduler started: schedules every registered task that has a valid task. */
    synchronized void attach(DeadlineScheduler s) {
        scheduler = s;
        for (Entry e : new ArrayList<>(entries.values())) {
            if (e.task == null) {
                e.task = taskOf(e); // it was invalid: give it another chance on a new scheduler
            }
            if (e.task != null && e.state != State.SCHEDULED) {
                schedule(e);
            }
        }
        countRefused();
    }

    /** The scheduler stops: its handles end with it; the tasks wait for the next {@link #attach}. */
    synchronized void detach() {
        scheduler = null;
        for (Entry e : entries.values()) {
            e.handle = null;
            if (e.state == State.SCHEDULED || e.state == State.REFUSED) {
                e.state = State.WAITING;
                e.reason = null;
            }
        }
        countRefused();
    }

    /** Tries the refused tasks again, in registration order. Costs one volatile read when none is refused. */
    void retryRefused() {
        if (refusedCount == 0) {
            return;
        }
        synchronized (this) {
            if (scheduler == null) {
                return;
            }
            for (Entry e : new ArrayList<>(entries.values())) {
                if (e.state == State.REFUSED && entries.get(e.serviceId) == e) {
                    schedule(e);
                }
            }
            countRefused();
        }
    }

    /** Whiteboard tasks not admitted now (refused or invalid): label to reason, in registration order. */
    synchronized Map<String, String> refused() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            if (e.state == State.REFUSED || e.state == State.INVALID) {
                out.put(e.label(), e.reason);
            }
        }
        return out;
    }

    /** How many whiteboard registrations there are, and how many of them are admitted now. */
    synchronized int[] counts() {
        int admitted = 0;
        for (Entry e : entries.values()) {
            if (e.state == State.SCHEDULED) {
                admitted++;
            }
        }
        return new int[] {entries.size(), admitted};
    }

    /** The handle of a registration's admitted task, or null. */
    synchronized ScheduledTask handleOf(long serviceId) {
        Entry e = entries.get(serviceId);
        return e == null ? null : e.handle;
    }

    private Task taskOf(Entry e) {
        Task t;
        try {
            t = e.work.task();
        } catch (RuntimeException ex) {
            invalid(e, "its task() threw " + ex);
            return null;
        }
        if (t == null) {
            invalid(e, "its task() returned null");
            return null;
        }
        e.name = t.name();
        if (!t.isPeriodic()) {
            invalid(e, "it is a one-shot task; whiteboard tasks must be periodic (use DeadlineScheduler.schedule for one-shot work)");
            return null;
        }
        return t;
    }

    private void invalid(Entry e, String reason) {
        e.state = State.INVALID;
        e.reason = reason;
        LOG.error("Whiteboard task {} not scheduled: {}", e.label(), reason);
    }

    /** Caller holds the monitor. */
    private void schedule(Entry e) {
        try {
            e.handle = scheduler.schedule(e.task);
            if (e.state == State.REFUSED) {
                LOG.info("Whiteboard task {} admitted now, as {}", e.label(), e.handle.id());
            }
            e.state = State.SCHEDULED;
            e.reason = null;
        } catch (ResourceExhaustedException | ServiceUnavailableException ex) {
            if (e.state != State.REFUSED || !ex.getMessage().equals(e.reason)) {
                LOG.warn("Whiteboard task {} refused: {}; it is admitted as soon as capacity frees", e.label(), ex.getMessage());
            }
            e.state = State.REFUSED;
            e.reason = ex.getMessage();
        } catch (RuntimeException ex) {
            invalid(e, ex.getMessage() != null ? ex.getMessage() : ex.toString());
        }
    }

    /** Caller holds the monitor: cancels an entry's admitted task. */
    private void unschedule(Entry e) {
        ScheduledTask h = e.handle;
        e.handle = null;
        e.state = State.WAITING;
        if (h != null) {
            try {
                h.cancel();
            } catch (RuntimeException ex) {
                LOG.debug("Cancelling whiteboard task {}: {}", e.label(), ex.toString());
            }
        }
    }

    private void countRefused() {
        int n = 0;
        for (Entry e : entries.values()) {
            if (e.state == State.REFUSED) {
                n++;
            }
        }
        refusedCount = n;
    }
}
