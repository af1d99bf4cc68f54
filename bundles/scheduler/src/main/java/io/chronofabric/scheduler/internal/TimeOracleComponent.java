package io.chronofabric.scheduler.internal;

import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.QuantumOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The TimeOracle service: every {@code oracle.interval.ms} (re-read at run time) it feeds the
 * scheduler's load, the deadline-miss rate over its last {@code oracle.window.intervals}
 * evaluations ({@link OracleWindow}) and the bus's mean latency over the bus's own sliding window
 * ({@link BusStats#recentAvgLatencyNanos()}, not the mean since start) to {@link OracleController},
 * and hands out periodic release offsets. It needs no TimeSource: its timer runs on the JVM's
 * monotonic clock, so a clock swap does not touch it. A pin ({@link #pin}, {@link OraclePin}) overrides
 * the controller's hint while it holds; the controller goes on evaluating underneath.
 */
@Component(name = "io.chronofabric.scheduler.oracle", configurationPid = SchedulerConfig.PID, immediate = true, service = TimeOracle.class)
public final class TimeOracleComponent implements TimeOracle, HealthIndicator {

    /** Deliveries the bus's sliding window must hold before its mean latency counts (as the bus's health judges it). */
    static final long MIN_RECENT_DELIVERIES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(TimeOracleComponent.class);

    private final OracleController controller = new OracleController();
    /** Package-private so tests can pin on a clock of their own. */
    OraclePin pinState = new OraclePin(System::nanoTime);
    /**
     * The scheduler to observe. Not a DS reference: the scheduler references this oracle, and a
     * cycle of two references makes SCR leave one of them unbound at start ("Could not get service
     * from ref"); a tracker read at each evaluation has no cycle. Tests set a fixed one here.
     */
    volatile DeadlineScheduler scheduler;
    private volatile org.osgi.framework.BundleContext context;
    private volatile String lastSeen = "no scheduler seen yet";
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventBus bus;
    private volatile SchedulerSettings settings = SchedulerSettings.DEFAULTS;
    private volatile OptimizationHint hint = OptimizationHint.BALANCED;
    private volatile String explanation = "no observations yet";
    private final AtomicLong evaluations = new AtomicLong();
    private OracleWindow window; // guarded by this
    private ScheduledExecutorService timer; // guarded by this
    private ScheduledFuture<?> tick; // guarded by this
    private long tickInterval; // guarded by this

    @Activate
    void activate(org.osgi.framework.BundleContext bc, SchedulerConfig config, Map<String, Object> raw) {
        context = bc;
        start(read(config, raw, SchedulerSettings.DEFAULTS));
    }

    @Modified
    void modified(SchedulerConfig config, Map<String, Object> raw) {
        apply(read(config, raw, settings));
    }

    private static SchedulerSettings read(SchedulerConfig config, Map<String, Object> raw, SchedulerSettings fallback) {
        try {
            return SchedulerSettings.from(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {} for the time oracle: {}; keeping the last good settings", SchedulerConfig.PID,
                    e.getMessage());
            return fallback;
        }
    }

    /** Starts the timer with these settings. */
    synchronized void start(SchedulerSettings s) {
        settings = s;
        window = new OracleWindow(s.oracleWindowIntervals());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chronofabric-time-oracle");
            t.setDaemon(true);
            return t;
        });
        reschedule(s.oracleIntervalNanos());
    }

    /** Applies new settings at once: a new interval reschedules the timer, a new window size keeps the newest samples. */
    synchronized void apply(SchedulerSettings s) {
        settings = s;
        if (window != null) {
            window.resize(s.oracleWindowIntervals());
        }
        if (timer != null && s.oracleIntervalNanos() != tickInterval) {
            LOG.info("Time oracle interval: {} ms -> {} ms", TimeUnit.NANOSECONDS.toMillis(tickInterval),
                    TimeUnit.NANOSECONDS.toMillis(s.oracleIntervalNanos()));
            reschedule(s.oracleIntervalNanos());
        }
    }

    /** Caller holds the monitor. */
    private void reschedule(long interval) {
        if (tick != null) {
            tick.cancel(false);
        }
        tickInterval = interval;
        tick = timer.scheduleWithFixedDelay(this::evaluate, interval, interval, TimeUnit.NANOSECONDS);
    }

    @Deactivate
    synchronized void deactivate() {
        context = null;
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** The interval the timer runs at now, in nanoseconds. */
    synchronized long intervalNanos() {
        return tickInterval;
    }

    /** Evaluations so far. */
    long evaluations() {
        return evaluations.get();
    }

    synchronized void evaluate() {
        try {
            SchedulerSettings cfg = settings;
            if (window == null) {
                window = new OracleWindow(cfg.oracleWindowIntervals());
            }
            DeadlineScheduler s = scheduler;
            org.osgi.framework.BundleContext bc = context;
            org.osgi.framework.ServiceReference<DeadlineScheduler> ref = null;
            if (s == null && bc != null) {
                try {
                    ref = bc.getServiceReference(DeadlineScheduler.class);
                    s = ref == null ? null : bc.getService(ref);
                } catch (IllegalStateException e) {
                    s = null; // stopping
                }
            }
            try {
                evaluate(s);
            } finally {
                if (ref != null && bc != null) {
                    try {
                        bc.ungetService(ref);
                    } catch (IllegalStateException e) {
                        // stopping
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Time oracle evaluation failed: {}", e.toString());
        }
    }

    /** Caller holds the monitor. */
    private void evaluate(DeadlineScheduler s) {
        try {
            SchedulerSettings cfg = settings;
            double load = 0;
            long jobs = -1;
            long misses = 0;
            String schedulerNote = s == null ? " (no scheduler bound)" : "";
            if (s != null) {
                try {
                    SchedulerStats st = s.stats();
                    load = st.load();
                    jobs = st.completed() + st.missed() + st.failed();
                    misses = st.missed();
                    lastSeen = "the scheduler reports " + jobs + " jobs ended since it started";
                } catch (RuntimeException e) {
                    jobs = -1; // scheduler stopping
                    schedulerNote = " (scheduler statistics unavailable: " + e + ")";
                }
            }
            EventBus b = bus;
            long latency = -1;
            String busNote = "";
            if (b != null) {
                try {
                    BusStats bs = b.stats();
                    long recentDeliveries = (long) (bs.throughputPerSecond() * (bs.windowNanos() / 1e9));
                    if (bs.recentAvgLatencyNanos() > 0 && recentDeliveries < MIN_RECENT_DELIVERIES) {
                        // as the bus's own health: at a packet a second (ADP's metrics at idle) the mean is a parked
                        // dispatcher's wake-up and handlers never compiled, which says nothing about the bus under load
                        busNote = " (only " + recentDeliveries + " deliveries in the bus's last " + SchedulerComponent.seconds(bs.windowNanos())
                                + ", fewer than " + MIN_RECENT_DELIVERIES + ": its latency is not judged)";
                    } else if (bs.recentAvgLatencyNanos() > 0) {
                        latency = bs.recentAvgLatencyNanos();
                        busNote = " over the bus's last " + SchedulerComponent.seconds(bs.windowNanos());
                    } else {
                        busNote = " (nothing delivered in the bus's last " + SchedulerComponent.seconds(bs.windowNanos()) + ")";
                    }
                } catch (RuntimeException e) {
                    busNote = " (bus stopping)";
                }
            }
            window.observe(jobs, misses);
            long target = cfg.oracleLatencyTargetNanos();
            hint = controller.evaluate(load, window.jobs(), window.misses(), latency, target);
            explanation = controller.explanation() + busNote + schedulerNote + "; misses over the last " + window.size() + " of " + window.intervals()
                    + " evaluations (" + SchedulerComponent.seconds(window.size() * tickIntervalOr(cfg)) + ")";
            evaluations.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warn("Time oracle evaluation failed: {}", e.toString());
        }
    }

    private long tickIntervalOr(SchedulerSettings cfg) {
        return tickInterval > 0 ? tickInterval : cfg.oracleIntervalNanos();
    }

    @Override
    public OptimizationHint currentHint() {
        return pinState.hintOr(hint);
    }

    @Override
    public String explanation() {
        return pinState.explain(hint, explanation);
    }

    @Override
    public HintPin pin(OptimizationHint h, long durationNanos, String reason) {
        return pinState.pin(h, durationNanos, reason);
    }

    @Override
    public Optional<HintPin> unpin() {
        return pinState.unpin();
    }

    @Override
    public Optional<HintPin> pinned() {
        return pinState.pinned();
    }

    @Override
    public QuantumOffset offsetFor(String taskName) {
        SchedulerSettings s = settings;
        return OracleController.offsetFor(taskName, s.offsetAmplitudeNanos(), s.offsetFrequencyHz());
    }

    @Override
    public HealthReport health() {
        return new HealthReport(io.chronofabric.api.core.HealthStatus.UP, explanation(), List.of(evaluations.get() + " evaluations, every "
                + TimeUnit.NANOSECONDS.toMillis(intervalNanos()) + " ms; the timer is " + (timerRunning() ? "running" : "stopped"), lastSeen));
    }

    private synchronized boolean timerRunning() {
        return timer != null && !timer.isShutdown() && tick != null && !tick.isDone();
    }
}
