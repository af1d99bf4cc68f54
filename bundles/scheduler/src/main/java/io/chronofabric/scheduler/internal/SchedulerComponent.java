package io.chronofabric.scheduler.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.TaskId;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

/** The DeadlineScheduler service: an {@link EdfScheduler} on the active TimeSource. */
@Component(name = "io.chronofabric.scheduler", configurationPid = SchedulerConfig.PID, service = DeadlineScheduler.class)
@Designate(ocd = SchedulerConfig.class)
public final class SchedulerComponent implements DeadlineScheduler, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    private volatile TimeSource time;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TimeOracle oracle;
    private volatile EdfScheduler scheduler;
    private SchedulerSettings settings = SchedulerSettings.DEFAULTS;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTimeSource(TimeSource ts) {
        time = ts;
        EdfScheduler s = scheduler;
        if (s != null) {
            s.setTimeSource(ts);
        }
    }

    void unbindTimeSource(TimeSource ts) {
        // a replacement is bound first; without one SCR deactivates the scheduler
    }

    @Activate
    void activate(SchedulerConfig config, Map<String, Object> raw) {
        try {
            settings = SchedulerSettings.from(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; using the defaults", SchedulerConfig.PID, e.getMessage());
        }
        scheduler = new EdfScheduler(settings, time, this::hint, this::offsetFor);
        LOG.info("Scheduler started: {} workers, utilisation bound {}, miss policy {}", settings.workers(),
                settings.utilisationBound(), settings.missPolicy());
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
        if (s != null) {
            s.close();
        }
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
            throw new ResourceExhaustedException("scheduler", "the scheduler is not running");
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
        return scheduler().stats();
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
        SchedulerStats st = s.stats();
        String summary = String.format(Locale.ROOT, "workers %d, load %.2f, %d queued, %d missed, hint %s", s.workerCount(), st.load(),
                st.queued(), st.missed(), st.hint());
        if (st.missed() > 0) {
            return HealthReport.degraded(summary, List.of("Deadline misses by task: " + st.missesByTask()));
        }
        return HealthReport.up(summary);
    }
}
