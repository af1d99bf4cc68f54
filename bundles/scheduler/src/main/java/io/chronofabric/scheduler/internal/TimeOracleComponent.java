package io.chronofabric.scheduler.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.QuantumOffset;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TimeOracle service: every {@code oracle.interval.ms} it feeds the scheduler's load and
 * deadline misses and the bus's average latency (when a bus is present) to
 * {@link OracleController}, and hands out periodic release offsets.
 */
@Component(name = "io.chronofabric.scheduler.oracle", configurationPid = SchedulerConfig.PID, service = TimeOracle.class)
public final class TimeOracleComponent implements TimeOracle, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(TimeOracleComponent.class);

    private final OracleController controller = new OracleController();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeadlineScheduler scheduler;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;
    private volatile SchedulerSettings settings = SchedulerSettings.DEFAULTS;
    private volatile OptimizationHint hint = OptimizationHint.BALANCED;
    private volatile String explanation = "no observations yet";
    private ScheduledExecutorService timer;
    private long lastJobs;
    private long lastMisses;

    @Activate
    void activate(SchedulerConfig config, Map<String, Object> raw) {
        apply(config, raw);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chronofabric-time-oracle");
            t.setDaemon(true);
            return t;
        });
        long interval = settings.oracleIntervalNanos();
        timer.scheduleWithFixedDelay(this::evaluate, interval, interval, TimeUnit.NANOSECONDS);
    }

    @Modified
    void modified(SchedulerConfig config, Map<String, Object> raw) {
        apply(config, raw);
    }

    private void apply(SchedulerConfig config, Map<String, Object> raw) {
        try {
            settings = SchedulerSettings.from(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {} for the time oracle: {}; keeping the last good settings", SchedulerConfig.PID,
                    e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    synchronized void evaluate() {
        try {
            DeadlineScheduler s = scheduler;
            double load = 0;
            long jobs = 0;
            long misses = 0;
            if (s != null) {
                SchedulerStats st = s.stats();
                load = st.load();
                long totalJobs = st.completed() + st.missed() + st.failed();
                jobs = Math.max(0, totalJobs - lastJobs);
                misses = Math.max(0, st.missed() - lastMisses);
                lastJobs = totalJobs;
                lastMisses = st.missed();
            }
            EventBus b = bus;
            long latency = -1;
            if (b != null) {
                try {
                    latency = b.stats().avgLatencyNanos();
                } catch (RuntimeException e) {
                    latency = -1; // bus stopping
                }
            }
            hint = controller.evaluate(load, jobs, misses, latency, settings.oracleLatencyTargetNanos());
            explanation = controller.explanation();
        } catch (RuntimeException e) {
            LOG.warn("Time oracle evaluation failed: {}", e.toString());
        }
    }

    @Override
    public OptimizationHint currentHint() {
        return hint;
    }

    @Override
    public String explanation() {
        return explanation;
    }

    @Override
    public QuantumOffset offsetFor(String taskName) {
        SchedulerSettings s = settings;
        return OracleController.offsetFor(taskName, s.offsetAmplitudeNanos(), s.offsetFrequencyHz());
    }

    @Override
    public HealthReport health() {
        return HealthReport.up(explanation);
    }
}
