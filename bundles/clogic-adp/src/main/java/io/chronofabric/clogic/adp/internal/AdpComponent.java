package io.chronofabric.clogic.adp.internal;

import io.chronofabric.clogic.common.internal.SnapshotFile;
import io.chronofabric.api.adp.AdaptiveProcessor;
import io.chronofabric.api.adp.AdpStats;
import io.chronofabric.api.adp.DeadlineMissedException;
import io.chronofabric.api.adp.PlaceInfo;
import io.chronofabric.api.adp.WorkPlace;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.InputBinding;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.ModuleMetrics;
import io.chronofabric.api.clogic.ModuleState;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.time.TimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * ADP as a C-LOGIC module and the {@link AdaptiveProcessor} service: places from the scheduler,
 * its own threads, compute backends and {@link WorkPlace} services; decisions by {@link AdpEngine};
 * deadlines on a timer thread; context, constraints and modulation from the bus; metrics on
 * {@code adp.metrics}.
 */
@Component(name = AdpConfig.PID, configurationPid = AdpConfig.PID, immediate = true,
        service = {CognitiveModule.class, AdaptiveProcessor.class}, property = CognitiveModule.MODULE_PROPERTY + "=adp")
@Designate(ocd = AdpConfig.class)
public final class AdpComponent implements CognitiveModule, AdaptiveProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(AdpComponent.class);
    static final String NAME = "adp";
    static final String ALGORITHM = "multi-armed bandit placement of work units: UCB1 (Auer et al. 2002) by default, Thompson sampling,"
            + " EXP3.S, power of d choices (Mitzenmacher 2001); LinUCB (Li et al. 2010) for units with features; reward ref/(ref+latency), 0 on failure";
    private static final RoutingMetadata ROUTING = RoutingMetadata.defaults(ComponentId.ADP);
    private static final long SKIP_LOG_INTERVAL_NANOS = 10_000_000_000L;

    final AdpEngine engine = new AdpEngine();
    private volatile EventBus bus;
    private volatile TimeSource time;
    private volatile DeadlineScheduler scheduler;
    private final Map<ComputeBackend, Places.Compute> backends = new ConcurrentHashMap<>();
    private final Map<WorkPlace, Places.Service> services = new ConcurrentHashMap<>();
    private final Set<Job<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final Places.Scheduler schedulerPlace = new Places.Scheduler(() -> scheduler, () -> time, () -> this.schedulerDeadline);
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong unpublished = new AtomicLong();
    private volatile String lastUnpublished = "";
    private volatile String restoreProblem = "";
    private final AtomicLong patterns = new AtomicLong();
    private final AtomicLong governed = new AtomicLong();
    private final AtomicLong lastSkipLog = new AtomicLong();
    private final Map<String, ServiceRegistration<?>> handlers = new LinkedHashMap<>();
    private final List<String> placeProblems = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile boolean running;
    private volatile boolean enabled = true;
    private volatile boolean computePlaces = true;
    private volatile boolean schedulerPlaceOn = true;
    private volatile int features = 3;
    private volatile Duration schedulerDeadline = Duration.ofSeconds(1);
    private volatile String inputChannel = "adp.input";
    private volatile String governanceChannel = "adp.governance";
    private volatile String modulationChannel = "adp.modulation";
    private volatile String metricsChannel = "adp.metrics";
    private volatile String configProblem = "";
    private volatile String lastSkip = "";
    private volatile String lastGovernance = "";
    private volatile String lastPattern = "";
    private volatile long lagNanos = -1;

    private BundleContext context;
    private String symbolicName = "";
    private ScheduledThreadPoolExecutor timer;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> save;
    private SnapshotFile snapshot;
    private Places.Local local;
    private int localThreads = -1;

    // ---------------------------------------------------------------- references

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindBus(EventBus b) {
        bus = b;
    }

    void unbindBus(EventBus b) {
        if (bus == b) {
            bus = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTime(TimeSource t) {
        time = t;
    }

    void unbindTime(TimeSource t) {
        if (time == t) {
            time = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindScheduler(DeadlineScheduler s) {
        scheduler = s;
    }

    void unbindScheduler(DeadlineScheduler s) {
        if (scheduler == s) {
            scheduler = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(ComputeBackend b) {
        Places.Compute p = new Places.Compute(b);
        backends.put(b, p);
        if (computePlaces) {
            attach(p);
        }
    }

    void unbindBackend(ComputeBackend b) {
        Places.Compute p = backends.remove(b);
        if (p != null) {
            engine.detach(p, System.nanoTime());
            p.release();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindPlace(WorkPlace w) {
        try {
            Places.Service p = new Places.Service(w);
            services.put(w, p);
            attach(p);
        } catch (RuntimeException e) {
            placeProblems.add(e.getMessage());
            LOG.error("ADP: WorkPlace service {} not added: {}", w, e.getMessage());
        }
    }

    void unbindPlace(WorkPlace w) {
        Places.Service p = services.remove(w);
        if (p != null) {
            engine.detach(p, System.nanoTime());
        }
    }

    private void attach(Place p) {
        try {
            engine.attach(p, System.nanoTime());
        } catch (IllegalStateException e) {
            placeProblems.add(e.getMessage());
            LOG.error("ADP: {}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Activate
    void activate(BundleContext ctx, AdpConfig c) {
        context = ctx;
        symbolicName = ctx == null ? "" : ctx.getBundle().getSymbolicName();
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "chronofabric-adp");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        snapshot = new SnapshotFile(stateDir(ctx, c).resolve("state.properties"), "ChronoFabric ADP state snapshot");
        running = true;
        apply(c); // first: the policy and LinUCB's dimension the saved models are restored into
        try {
            snapshot.load().ifPresent(engine::restore);
        } catch (java.io.IOException | RuntimeException e) {
            restoreProblem = "state in " + snapshot.path() + " could not be restored (" + e + "): starting afresh";
            LOG.error("ADP {}", restoreProblem);
        }
        if (!engine.restoreProblem.isEmpty()) {
            restoreProblem = engine.restoreProblem;
            LOG.error("ADP {}", restoreProblem);
        }
        LOG.info("ADP started: policy {}, places {}, metrics on {}", engine.settings().policy().label,
                engine.places().stream().map(PlaceInfo::name).toList(), metricsChannel);
    }

    @Modified
    void modified(AdpConfig c) {
        apply(c);
        LOG.info("ADP reconfigured: policy {}{}", engine.settings().policy().label, enabled ? "" : " (disabled)");
    }

    @Deactivate
    void deactivate() {
        running = false;
        ScheduledThreadPoolExecutor t = timer;
        timer = null;
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (this) {
            handlers.values().forEach(AdpComponent::unregister);
            handlers.clear();
        }
        for (Job<?> j : inFlight) {
            j.abandon();
        }
        Places.Local l = local;
        local = null;
        if (l != null) {
            engine.detach(l, System.nanoTime());
            l.shutdown();
        }
        backends.values().forEach(Places.Compute::release);
        saveSnapshot();
    }

    static Path stateDir(BundleContext bc, AdpConfig c) {
        String configured = c.state_dir();
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String karafData = bc == null ? null : bc.getProperty("karaf.data");
        if (karafData != null) {
            return Path.of(karafData, "chronofabric", "clogic.adp");
        }
        java.io.File data = bc == null ? null : bc.getDataFile("");
        if (data != null) {
            return data.toPath();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "chronofabric", "clogic.adp");
    }

    synchronized void apply(AdpConfig c) {
        List<String> problems = new ArrayList<>();
        AdpEngine.Settings old = engine.settings();
        AdpEngine.Policy policy = old.policy();
        try {
            policy = AdpEngine.Policy.parse(c.policy());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + "; keeping " + policy.label);
        }
        try {
            engine.configure(new AdpEngine.Settings(policy, c.exploration(), c.arousal_gain(), c.exp3_gamma(), c.exp3_share(), c.power_d(),
                    c.linucb_features(), c.linucb_alpha(), c.reward_latency_ms() * 1e6, c.place_max_inflight(), c.changepoint_discount(), c.seed()));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (keeping the previous settings)");
            engine.configure(new AdpEngine.Settings(policy, old.exploration(), old.arousalGain(), old.exp3Gamma(), old.exp3Share(), old.d(),
                    old.features(), old.linucbAlpha(), old.rewardLatencyNanos(), old.maxInFlight(), old.changepointDiscount(), old.seed()));
        }
        features = engine.settings().features();
        long sd = c.scheduler_deadline_ms();
        if (sd < 1 || sd > 3_600_000) {
            problems.add("scheduler.deadline.ms " + sd + " is outside 1..3600000; using 1000");
            sd = 1000;
        }
        schedulerDeadline = Duration.ofMillis(sd);
        inputChannel = channel("input.channel", c.input_channel(), inputChannel, problems);
        governanceChannel = channel("governance.channel", c.governance_channel(), governanceChannel, problems);
        modulationChannel = channel("modulation.channel", c.modulation_channel(), modulationChannel, problems);
        metricsChannel = channel("metrics.channel", c.metrics_channel(), metricsChannel, problems);
        enabled = c.enabled();
        // places
        int threads = c.local_threads();
        if (threads < 0 || threads > 256) {
            problems.add("local.threads " + threads + " is outside 0..256; using 2");
            threads = 2;
        }
        if (threads != localThreads) {
            Places.Local old2 = local;
            local = null;
            if (old2 != null) {
                engine.detach(old2, System.nanoTime());
                old2.shutdown();
            }
            if (threads > 0 && running) {
                local = new Places.Local(threads);
                attach(local);
            }
            localThreads = threads;
        }
        schedulerPlaceOn = c.scheduler_place();
        if (schedulerPlaceOn) {
            attach(schedulerPlace);
        } else {
            engine.detach(schedulerPlace, System.nanoTime());
        }
        computePlaces = c.compute_places();
        for (Places.Compute p : backends.values()) {
            if (computePlaces) {
                attach(p);
            } else {
                engine.detach(p, System.nanoTime());
            }
        }
        configProblem = String.join("; ", problems);
        if (!problems.isEmpty()) {
            LOG.error("Configuration {}: {}", AdpConfig.PID, configProblem);
        }
        resubscribe();
        ScheduledThreadPoolExecutor t = timer;
        if (t != null) {
            long mi = c.metrics_interval_ms();
            if (mi < 10 || mi > 3_600_000) {
                LOG.error("Configuration {}: metrics.interval.ms {} is outside 10..3600000; using 1000", AdpConfig.PID, mi);
                mi = 1000;
            }
            if (tick != null) {
                tick.cancel(false);
            }
            tick = t.scheduleAtFixedRate(this::tick, mi, mi, TimeUnit.MILLISECONDS);
            long snapS = c.snapshot_interval_s();
            if (snapS < 1 || snapS > 86_400) {
                LOG.error("Configuration {}: snapshot.interval.s {} is outside 1..86400; using 10", AdpConfig.PID, snapS);
                snapS = 10;
            }
            if (save != null) {
                save.cancel(false);
            }
            save = t.scheduleWithFixedDelay(this::saveSnapshot, snapS, snapS, TimeUnit.SECONDS);
        }
    }

    private static String channel(String key, String value, String keep, List<String> problems) {
        String v = value == null ? "" : value.trim();
        try {
            return Channels.requireValid(v);
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage() + "; keeping " + keep);
            return keep;
        }
    }

    private void resubscribe() {
        Map<String, PacketHandler<Object>> wanted = new LinkedHashMap<>();
        if (enabled && context != null) {
            wanted.put(inputChannel, this::onInput);
            wanted.put(governanceChannel, this::onGovernance);
            wanted.put(modulationChannel, this::onModulation);
        }
        for (java.util.Iterator<Map.Entry<String, ServiceRegistration<?>>> it = handlers.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, ServiceRegistration<?>> e = it.next();
            if (!wanted.containsKey(e.getKey())) {
                unregister(e.getValue());
                it.remove();
            }
        }
        for (Map.Entry<String, PacketHandler<Object>> w : wanted.entrySet()) {
            if (handlers.containsKey(w.getKey())) {
                continue;
            }
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(PacketHandler.CHANNEL, w.getKey());
            p.put(PacketHandler.COMPONENT_ID, ComponentId.ADP.value());
            p.put("chronofabric.clogic", NAME);
            handlers.put(w.getKey(), context.registerService(PacketHandler.class, w.getValue(), p));
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException ignored) {
            // already gone with the bundle
        }
    }

    // ---------------------------------------------------------------- bus inputs

    void onInput(PhasePacket<Object> packet) {
        lag(packet);
        if (packet.payload() instanceof PatternEvent e) {
            patterns.incrementAndGet();
            lastPattern = e.kind() + " " + e.streams() + " " + e.values();
            if (e.kind() == PatternKind.CHANGEPOINT) {
                engine.changepoint();
            }
            processed.incrementAndGet();
        } else {
            skip(packet.channel(), "not a PatternEvent: " + describe(packet.payload()));
        }
    }

    void onGovernance(PhasePacket<Object> packet) {
        lag(packet);
        if (packet.payload() instanceof GovernanceDecision d) {
            processed.incrementAndGet();
            if (d.isFor(NAME)) {
                String done = engine.govern(d);
                governed.incrementAndGet();
                lastGovernance = d.action() + " " + d.analysis() + " (" + d.reason() + "): " + done;
                LOG.info("ADP governance: {}", lastGovernance);
            }
        } else {
            skip(packet.channel(), "not a GovernanceDecision: " + describe(packet.payload()));
        }
    }

    void onModulation(PhasePacket<Object> packet) {
        lag(packet);
        if (packet.payload() instanceof Modulation m) {
            processed.incrementAndGet();
            engine.modulate(m.activation());
        } else {
            skip(packet.channel(), "not a Modulation: " + describe(packet.payload()));
        }
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    private void lag(PhasePacket<Object> packet) {
        long p = packet.publishedAtNanos();
        lagNanos = p > 0 ? Math.max(0, now() - p) : -1;
    }

    private void skip(String channel, String why) {
        skipped.incrementAndGet();
        lastSkip = channel + ": " + why;
        long t = System.nanoTime();
        long last = lastSkipLog.get();
        if ((last == 0 || t - last > SKIP_LOG_INTERVAL_NANOS) && lastSkipLog.compareAndSet(last, t)) {
            LOG.warn("ADP skipped a packet on {} ({} skipped so far; logged at most every 10 s)", lastSkip, skipped.get());
        }
    }

    private long now() {
        TimeSource t = time;
        return t != null ? t.nowNanos() : System.nanoTime();
    }

    /** Metrics out and queue lengths in; runs on the timer thread (tests call it). */
    void tick() {
        try {
            engine.refreshQueues();
            EventBus b = bus;
            if (b != null && enabled) {
                try {
                    b.publish(PhasePacket.of(new ModuleMetrics(NAME, engine.metrics(), Math.max(0, now())), metricsChannel, ROUTING));
                    published.incrementAndGet();
                } catch (io.chronofabric.api.core.ServiceUnavailableException | io.chronofabric.api.core.ResourceExhaustedException e) {
                    // the bus refuses for now (no clock yet at boot, stopping, full): these metrics are skipped, the next tick tries again
                    unpublished.incrementAndGet();
                    lastUnpublished = e.getMessage();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("ADP tick failed", e);
        }
    }

    private void saveSnapshot() {
        SnapshotFile s = snapshot;
        if (s == null) {
            return;
        }
        try {
            Properties p = engine.snapshot();
            s.save(p);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("ADP state could not be saved to {}: {}", s.path(), e.toString());
        }
    }

    // ---------------------------------------------------------------- AdaptiveProcessor

    @Override
    public <T> CompletionStage<T> submit(WorkUnit<T> unit) {
        Objects.requireNonNull(unit, "work unit");
        int k = unit.featureCount();
        int f = features;
        if (k > 0 && k != f) {
            throw new IllegalArgumentException("Work unit '" + unit.name() + "' carries " + k + " features; ADP is configured for " + f
                    + " (linucb.features)");
        }
        if (!running || !enabled) {
            return CompletableFuture.failedFuture(new RejectedExecutionException("Work unit '" + unit.name() + "' refused: ADP is "
                    + (running ? "disabled (enabled = false)" : "stopped")));
        }
        Job<T> job = new Job<>(unit);
        if (k > 0) {
            double[] x = new double[f + 1];
            x[0] = 1;
            for (int i = 0; i < k; i++) {
                x[i + 1] = unit.feature(i);
            }
            job.context = x;
        }
        String why = engine.decide(unit, job);
        if (why != null) {
            return CompletableFuture.failedFuture(new RejectedExecutionException(why));
        }
        inFlight.add(job);
        job.start = System.nanoTime();
        Duration d = unit.deadline().orElse(null);
        ScheduledThreadPoolExecutor t = timer;
        if (d != null && t != null) {
            try {
                job.timeout = t.schedule(job::expire, d.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // stopping: abandon() ends it
            }
        }
        CompletionStage<T> work;
        try {
            work = job.place.run(unit);
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        job.work = work;
        work.whenComplete(job::finished);
        if (!running) {
            job.abandon();
        }
        return job.result.minimalCompletionStage();
    }

    @Override
    public List<PlaceInfo> places() {
        return engine.places();
    }

    @Override
    public AdpStats stats() {
        return engine.stats();
    }

    /** One submitted unit: the decision (ticket), its caller's stage, its timer. */
    private final class Job<T> extends AdpEngine.Ticket {
        final WorkUnit<T> unit;
        final CompletableFuture<T> result = new CompletableFuture<>();
        final AtomicBoolean done = new AtomicBoolean();
        volatile long start;
        volatile CompletionStage<T> work;
        volatile ScheduledFuture<?> timeout;

        Job(WorkUnit<T> unit) {
            this.unit = unit;
        }

        void finished(T value, Throwable error) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            end();
            long latency = System.nanoTime() - start;
            Duration d = unit.deadline().orElse(null);
            if (error == null && d != null && latency > d.toNanos()) {
                engine.finish(this, latency, false, true);
                result.completeExceptionally(new DeadlineMissedException(unit.name(), place.name(), d));
            } else if (error == null) {
                engine.finish(this, latency, true, false);
                result.complete(value);
            } else {
                engine.finish(this, latency, false, false);
                result.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
        }

        void expire() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            end();
            Duration d = unit.deadline().orElseThrow();
            engine.finish(this, System.nanoTime() - start, false, true);
            cancelWork(); // first, so the place has been told when the caller hears of the miss
            result.completeExceptionally(new DeadlineMissedException(unit.name(), place.name(), d));
        }

        void abandon() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            end();
            engine.finish(this, System.nanoTime() - start, false, false);
            cancelWork();
            result.completeExceptionally(new CancellationException("Work unit '" + unit.name() + "' abandoned: ADP stopped while it ran on '"
                    + place.name() + "'"));
        }

        private void cancelWork() {
            CompletionStage<T> w = work;
            if (w != null) {
                try {
                    w.toCompletableFuture().cancel(true);
                } catch (RuntimeException ignored) {
                    // a stage that cannot be cancelled finishes on its own; its result is ignored
                }
            }
        }

        private void end() {
            inFlight.remove(this);
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    // ---------------------------------------------------------------- CognitiveModule

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public ComponentId componentId() {
        return ComponentId.ADP;
    }

    @Override
    public Set<String> inputChannels() {
        return new LinkedHashSet<>(List.of(inputChannel, governanceChannel, modulationChannel));
    }

    @Override
    public Set<String> outputChannels() {
        return Set.of(metricsChannel);
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        AdpStats s = engine.stats();
        m.put("submitted", (double) s.submitted());
        m.put("completed", (double) s.completed());
        m.put("failed", (double) s.failed());
        m.put("deadline_misses", (double) s.deadlineMisses());
        m.put("rejected", (double) s.rejected());
        m.put("in_flight", (double) s.inFlight());
        m.put("regret", s.regret());
        m.put("exploration", s.exploration());
        m.put("patterns", (double) patterns.get());
        m.put("changepoints", (double) engine.changepoints());
        m.put("governance", (double) governed.get());
        m.put("published", (double) published.get());
        m.put("unpublished", (double) unpublished.get());
        m.put("processed", (double) processed.get());
        m.put("skipped", (double) skipped.get());
        return m;
    }

    String activity() {
        if (!running) {
            return "stopped";
        }
        if (!enabled) {
            return "disabled";
        }
        AdpStats s = engine.stats();
        long eligible = engine.places().stream().filter(PlaceInfo::eligible).count();
        return engine.settings().policy().label + " over " + eligible + " eligible places, " + s.submitted() + " units, " + s.inFlight()
                + " in flight";
    }

    @Override
    public ModuleState state() {
        List<InputBinding> b = List.of();
        return new ModuleState(NAME, activity(), b, processed.get(), skipped.get(), backlog(), lagNanos, metrics());
    }

    private long backlog() {
        return io.chronofabric.clogic.common.internal.ModuleBacklog.queued(bus, symbolicName, inputChannels());
    }

    @Override
    public HealthReport health() {
        try {
            List<String> details = new ArrayList<>();
            if (!configProblem.isEmpty()) {
                details.add("configuration: " + configProblem);
            }
            placeProblems.forEach(p -> details.add("place: " + p));
            if (!restoreProblem.isEmpty()) {
                details.add(restoreProblem);
            }
            if (bus == null) {
                details.add("no EventBus service: no context, constraints or modulation read, no metrics published");
            }
            List<PlaceInfo> ps = engine.places();
            boolean anyEligible = false;
            for (PlaceInfo p : ps) {
                anyEligible |= p.eligible();
                if (!p.eligible()) {
                    details.add(p.name() + ": " + p.status());
                }
            }
            if (!lastGovernance.isEmpty()) {
                details.add("last governance decision: " + lastGovernance);
            }
            if (!engine.lastAlert().isEmpty()) {
                details.add("last alert: " + engine.lastAlert());
            }
            if (!lastSkip.isEmpty()) {
                details.add("last skipped packet: " + lastSkip);
            }
            if (!lastUnpublished.isEmpty()) {
                details.add(unpublished.get() + " metrics packets refused by the bus, last: " + lastUnpublished);
            }
            if (!running) {
                return HealthReport.down("ADP stopped", details);
            }
            boolean degraded = !configProblem.isEmpty() || bus == null || !anyEligible || !placeProblems.isEmpty();
            if (!anyEligible) {
                details.add(0, "no eligible place: submit refuses every unit");
            }
            return degraded ? HealthReport.degraded(activity(), details) : new HealthReport(HealthStatus.UP, activity(), details);
        } catch (RuntimeException e) {
            return HealthReport.down("ADP failed to report: " + e, List.of());
        }
    }

    String lastPattern() {
        return lastPattern;
    }
}
