package io.chronofabric.scheduler.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.core.TaskId;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.ScheduledWork;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DeadlineScheduler service: an {@link EdfScheduler} on the best TimeSource there is (dynamic,
 * greedy, optional: a clock swap keeps every admitted task; with none the scheduler runs on its
 * monotonic fallback), plus the {@link ScheduledWork} whiteboard ({@link TaskWhiteboard}).
 */
@Component(name = "io.chronofabric.scheduler", configurationPid = SchedulerConfig.PID, immediate = true, service = DeadlineScheduler.class)
@Designate(ocd = SchedulerConfig.class)
public final class SchedulerComponent implements DeadlineScheduler, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    private final TaskWhiteboard whiteboard = new TaskWhiteboard();
    private TimeSource time; // guarded by this
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TimeOracle oracle;
    private volatile EdfScheduler scheduler;
    private SchedulerSettings settings = SchedulerSettings.DEFAULTS;

    @Reference(name = "time", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindTimeSource")
    synchronized void bindTimeSource(TimeSource ts) {
        time = ts; // a greedy replacement is bound before the old one is unbound
        EdfScheduler s = scheduler;
        if (s != null) {
            s.setTimeSource(ts);
        }
    }

    synchronized void unbindTimeSource(TimeSource ts) {
        if (time != ts) {
            return; // the replacement is already bound
        }
        time = null;
        EdfScheduler s = scheduler;
        if (s != null) {
            s.setTimeSource(null);
        }
    }

    @Reference(name = "work", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeScheduledWork", updated = "updatedScheduledWork")
    void addScheduledWork(ScheduledWork work, ServiceReference<ScheduledWork> ref) {
        whiteboard.add(serviceId(ref), work, origin(ref));
    }

    void updatedScheduledWork(ScheduledWork work, ServiceReference<ScheduledWork> ref) {
        whiteboard.update(serviceId(ref));
    }

    void removeScheduledWork(ScheduledWork work, ServiceReference<ScheduledWork> ref) {
        whiteboard.remove(serviceId(ref));
    }

    private static long serviceId(ServiceReference<?> ref) {
        Object id = ref.getProperty(Constants.SERVICE_ID);
        return id instanceof Long l ? l : -1;
    }

    private static String origin(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        return b == null ? "of an unregistered bundle" : "of bundle " + b.getSymbolicName() + " [" + b.getBundleId() + "]";
    }

    @Activate
    void activate(SchedulerConfig config, Map<String, Object> raw) {
        try {
            settings = SchedulerSettings.from(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; using the defaults", SchedulerConfig.PID, e.getMessage());
        }
        start(settings);
    }

    /** Starts the scheduler on the current time source (or none) and schedules the whiteboard's tasks. */
    synchronized void start(SchedulerSettings s) {
        settings = s;
        EdfScheduler e = new EdfScheduler(s, time, this::hint, this::offsetFor, System::nanoTime, whiteboard::retryRefused);
        scheduler = e;
        LOG.info("Scheduler started: {} workers, utilisation bound {}, miss policy {}, time source {}", s.workers(), s.utilisationBound(),
                s.missPolicy(), e.timeSourceKind());
        whiteboard.attach(this);
    }

    @Modified
    void modified(SchedulerConfig config, Map<String, Object> raw) {
        try {
            SchedulerSettings next = SchedulerSettings.from(config, raw);
            if (next.workers() != settings.workers()) {
                LOG.info("Scheduler workers: {} -> {}", settings.workers(), next.workers());
            }
            settings = next;
            scheduler.reconfigure(next);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; keeping the last good settings", SchedulerConfig.PID, e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        EdfScheduler s = scheduler;
        scheduler = null;
        whiteboard.detach();
        if (s != null) {
            s.close();
        }
    }

    /** The whiteboard, for tests. */
    TaskWhiteboard whiteboard() {
        return whiteboard;
    }

    private OptimizationHint hint() {
        TimeOracle o = oracle;
        return o == null ? OptimizationHint.BALANCED : o.currentHint();
    }

    private QuantumOffset offsetFor(String taskName) {
        TimeOracle o = oracle;
        return o == null ? QuantumOffset.NONE : o.offsetFor(taskName);
    }

    private EdfScheduler scheduler() {
        EdfScheduler s = scheduler;
        if (s == null) {
            throw new ServiceUnavailableException("scheduler", "the scheduler is not running");
        }
        return s;
    }

    @Override
    public ScheduledTask schedule(Task task) {
        return scheduler().schedule(task);
    }

    @Override
    public boolean cancel(TaskId id) {
        return scheduler().cancel(id);
    }

    @Override
    public double load() {
        return scheduler().load();
    }

    @Override
    public int processTemporalQueue() {
        return scheduler().processTemporalQueue();
    }

    @Override
    public List<ScheduledTask> pending() {
        return scheduler().pending();
    }

    @Override
    public SchedulerStats stats() {
        SchedulerStats st = scheduler().stats();
        Map<String, String> refused = whiteboard.refused();
        if (refused.isEmpty()) {
            return st;
        }
        return new SchedulerStats(st.load(), st.queued(), st.running(), st.completed(), st.missed(), st.failed(), st.missesByTask(),
                st.hint(), st.workers(), st.configuredWorkers(), st.workersReplaced(), st.timeSource(), st.recent(), refused);
    }

    /** Jobs run so far; for the oracle. */
    long jobsRun() {
        EdfScheduler s = scheduler;
        return s == null ? 0 : s.jobsRun();
    }

    @Override
    public HealthReport health() {
        EdfScheduler s = scheduler;
        if (s == null) {
            return HealthReport.down("not running", List.of());
        }
        SchedulerStats st = stats();
        return health(st, s.noTimeSourceForNanos());
    }

    /**
     * Health from a snapshot: DEGRADED while running on no time source, with fewer live workers
     * than configured, with misses or failures in the recent window, or with refused whiteboard tasks.
     *
     * @param noSourceForNanos how long there has been no time source, or -1
     */
    static HealthReport health(SchedulerStats st, long noSourceForNanos) {
        SchedulerStats.Window w = st.recent();
        String workers = st.workers() == st.configuredWorkers() ? String.valueOf(st.workers())
                : st.workers() + " (configured " + st.configuredWorkers() + ")";
        String source = SchedulerStats.NO_TIME_SOURCE.equals(st.timeSource()) ? "running on no time source" : "time " + st.timeSource();
        String summary = String.format(Locale.ROOT, "workers %s, load %.2f, %d queued, %d of %d jobs missed in the last %s, %s, hint %s",
                workers, st.load(), st.queued(), w.missed(), w.jobs(), seconds(w.windowNanos()), source, st.hint());
        List<String> details = new ArrayList<>();
        if (noSourceForNanos >= 0) {
            details.add("No time source for " + seconds(noSourceForNanos) + ": admitted tasks run on a monotonic fallback from the last "
                    + "reading; they are re-based when a time source appears");
        }
        if (st.workers() < st.configuredWorkers()) {
            details.add(st.workers() + " of " + st.configuredWorkers() + " workers alive");
        }
        if (st.workersReplaced() > 0) {
            details.add(st.workersReplaced() + " workers died and were replaced since start (see the log)");
        }
        if (w.missed() > 0) {
            details.add(String.format(Locale.ROOT, "%d deadline misses in the last %s (%.2f%% of jobs); by task since start: %s", w.missed(),
                    seconds(w.windowNanos()), w.missRate() * 100, st.missesByTask()));
        }
        if (w.failed() > 0) {
            details.add(w.failed() + " jobs failed in the last " + seconds(w.windowNanos()));
        }
        st.refusedTasks().forEach((task, reason) -> details.add("Whiteboard task " + task + " not admitted: " + reason));
        boolean degraded = noSourceForNanos >= 0 || st.workers() < st.configuredWorkers() || w.missed() > 0 || w.failed() > 0
                || !st.refusedTasks().isEmpty();
        return degraded ? HealthReport.degraded(summary, details) : new HealthReport(HealthStatus.UP, summary, details);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, nanos >= 10_000_000_000L ? "%.0f s" : "%.1f s", nanos / 1e9);
    }
}
