package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.clogic.common.internal.SnapshotFile;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.InputBinding;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.ModuleState;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.ValueExtraction;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.time.TimeSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * DRPP as a {@link CognitiveModule}: one whiteboard {@link PacketHandler} per configured input
 * channel feeds {@link DrppEngine}; pattern events go to {@code output.channel}; Modulation on
 * {@code modulation.channel} sets the sensitivity; GovernanceDecisions on {@code governance.channel}
 * switch analyses and rates. A configuration that does not check out is refused with an ERROR
 * naming the key: the module then stays registered, idle, and says why in health and state.
 * State is snapshotted to {@code ${karaf.data}/chronofabric/clogic.drpp/state.properties}
 * (bundle data area without karaf.data) and replayed on activation.
 */
@Component(name = DrppConfig.PID, configurationPid = DrppConfig.PID, immediate = true,
        service = {CognitiveModule.class, DrppComponent.class},
        property = CognitiveModule.MODULE_PROPERTY + "=drpp")
@Designate(ocd = DrppConfig.class)
public final class DrppComponent implements CognitiveModule {

    private static final Logger LOG = LoggerFactory.getLogger(DrppComponent.class);
    private static final RoutingMetadata ROUTING = RoutingMetadata.defaults(ComponentId.DRPP);
    static final String NAME = "drpp";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile TimeSource time;

    private final RateLimitedLog skipLog = new RateLimitedLog(LOG, 10_000);
    private final RateLimitedLog publishLog = new RateLimitedLog(LOG, 10_000);
    private final List<ServiceRegistration<?>> handlers = new ArrayList<>();
    private final AtomicLong unpublished = new AtomicLong();
    private final AtomicLong nonNumeric = new AtomicLong();
    private final ArrayDeque<PatternEvent> recent = new ArrayDeque<>();
    private volatile DrppEngine engine;
    private volatile DrppSettings settings;
    private volatile String problem;
    private volatile long lagNanos = -1;
    private volatile String lastGovernance = "none";
    private ScheduledThreadPoolExecutor worker;
    private SnapshotFile snapshot;
    private BundleContext context;
    private String bundleName = "";

    @Activate
    void activate(BundleContext ctx, DrppConfig config) {
        context = ctx;
        bundleName = ctx.getBundle() == null ? "" : String.valueOf(ctx.getBundle().getSymbolicName());
        worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "chronofabric-drpp-worker");
            t.setDaemon(true);
            return t;
        });
        worker.setRemoveOnCancelPolicy(true);
        snapshot = new SnapshotFile(dataFile(ctx), "DRPP snapshot");
        apply(config, true);
    }

    @Modified
    void modified(DrppConfig config) {
        apply(config, false);
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            unregisterAll();
        }
        save();
        worker.shutdownNow();
    }

    private static Path dataFile(BundleContext ctx) {
        String karafData = System.getProperty("karaf.data");
        if (karafData != null && !karafData.isBlank()) {
            return Paths.get(karafData, "chronofabric", "clogic.drpp", "state.properties");
        }
        File f = ctx.getDataFile("state.properties");
        return f == null ? Paths.get(System.getProperty("java.io.tmpdir"), "chronofabric-drpp", "state.properties") : f.toPath();
    }

    private synchronized void apply(DrppConfig config, boolean first) {
        DrppSettings next;
        try {
            next = new DrppSettings(config);
        } catch (IllegalArgumentException e) {
            String msg = "Refused configuration " + DrppConfig.PID + ": " + e.getMessage();
            problem = msg;
            if (first || settings == null) {
                LOG.error("{}; DRPP stays idle until the configuration is fixed", msg);
            } else {
                LOG.error("{}; keeping the previous configuration", msg);
            }
            return;
        }
        Properties carried = null;
        DrppEngine old = engine;
        if (old != null) {
            carried = old.snapshot();
        } else {
            try {
                Optional<Properties> loaded = snapshot.load();
                carried = loaded.orElse(null);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not read the DRPP snapshot {}: {}; starting fresh", snapshot.path(), e.toString());
            }
        }
        unregisterAll();
        DrppEngine fresh = new DrppEngine(next, this::publish, this::runOnWorker, this::now);
        if (carried != null) {
            try {
                fresh.restore(carried);
                if (old == null) {
                    List<PatternEvent> events = EventCodec.read(carried);
                    synchronized (recent) {
                        recent.addAll(events);
                    }
                }
                LOG.info("DRPP state restored: {} streams, {} samples processed before", fresh.streams().size(), fresh.processed());
            } catch (RuntimeException e) {
                LOG.warn("Could not restore the DRPP snapshot {}: {}; starting fresh", snapshot.path(), e.getMessage());
                fresh = new DrppEngine(next, this::publish, this::runOnWorker, this::now);
            }
        }
        if (old != null) {
            fresh.modulate(old.activation());
        }
        settings = next;
        engine = fresh;
        problem = null;
        synchronized (recent) {
            while (recent.size() > next.eventsKept) {
                recent.pollFirst();
            }
        }
        worker.getQueue().clear(); // the previous configuration's periodic tasks
        if (!next.enabled) {
            LOG.info("DRPP disabled (enabled = false): subscribed to nothing");
            return;
        }
        for (InputBinding in : next.inputs) {
            register(in.channel(), new InputHandler(in));
        }
        if (!next.modulationChannel.isEmpty()) {
            register(next.modulationChannel, new ControlHandler(true));
        }
        if (!next.governanceChannel.isEmpty()) {
            register(next.governanceChannel, new ControlHandler(false));
        }
        long tick = next.kuramotoIntervalMs;
        DrppEngine e = fresh;
        worker.scheduleWithFixedDelay(() -> {
            if (engine == e) {
                e.kuramotoTick(tick / 1000.0);
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
        if (next.snapshotIntervalSeconds > 0) {
            worker.scheduleWithFixedDelay(this::saveIfChanged, next.snapshotIntervalSeconds, next.snapshotIntervalSeconds, TimeUnit.SECONDS);
        }
        LOG.info("DRPP listening on {} (pairs {}), publishing on {}", next.inputs, next.pairs, next.outputChannel);
    }

    private void register(String channel, PacketHandler<Object> handler) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(PacketHandler.CHANNEL, channel);
        p.put(PacketHandler.TYPE, "java.lang.Object");
        p.put(PacketHandler.COMPONENT_ID, ComponentId.DRPP.value());
        handlers.add(context.registerService(PacketHandler.class, handler, p));
    }

    private void unregisterAll() {
        for (ServiceRegistration<?> r : handlers) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
        }
        handlers.clear();
    }

    private void runOnWorker(Runnable task) {
        ScheduledThreadPoolExecutor w = worker;
        if (w.getQueue().size() > 64) {
            throw new RejectedExecutionException("DRPP worker has 64 tasks waiting");
        }
        w.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("DRPP windowed analysis failed: {}", e.toString());
            }
        });
    }

    private long savedMark = -1;

    /** The periodic snapshot: skipped while nothing was processed or published since the last one (an idle DRPP writes nothing). */
    private void saveIfChanged() {
        DrppEngine e = engine;
        if (e == null) {
            return;
        }
        long mark = e.processed() + 31 * e.skipped.get() + 961 * e.events.get();
        if (mark != savedMark) {
            savedMark = mark;
            save();
        }
    }

    private void save() {
        DrppEngine e = engine;
        if (e == null) {
            return;
        }
        try {
            Properties p = e.snapshot();
            EventCodec.write(recentEvents(), p);
            snapshot.save(p);
        } catch (IOException | RuntimeException ex) {
            LOG.warn("Could not write the DRPP snapshot {}: {}", snapshot.path(), ex.toString());
        }
    }

    private long now() {
        TimeSource t = time;
        return t != null ? t.nowNanos() : System.currentTimeMillis() * 1_000_000L;
    }

    /** The trace of the sample being handled on this thread (null: none or untraced). */
    private static final ThreadLocal<io.chronofabric.api.trace.TraceContext> inputTrace = new ThreadLocal<>();

    private void publish(PatternEvent event) {
        DrppSettings s = settings;
        synchronized (recent) {
            recent.addLast(event);
            while (recent.size() > (s == null ? 256 : s.eventsKept)) {
                recent.pollFirst();
            }
        }
        EventBus b = bus;
        if (b == null || s == null) {
            unpublished.incrementAndGet();
            return;
        }
        io.chronofabric.api.trace.TraceContext trace = inputTrace.get();
        try {
            b.publish(trace == null ? PhasePacket.of(event, s.outputChannel, ROUTING)
                    : PhasePacket.builder((Object) event).channel(s.outputChannel).routing(ROUTING).trace(trace).build());
        } catch (RuntimeException e) {
            unpublished.incrementAndGet();
            publishLog.warn("DRPP could not publish a {} event on {}: {}", event.kind(), s.outputChannel, e.toString());
        }
    }

    /** One input channel: extract, name the stream, feed the engine; a bad payload is counted and skipped. */
    private final class InputHandler implements PacketHandler<Object> {
        private final InputBinding binding;

        InputHandler(InputBinding binding) {
            this.binding = binding;
        }

        @Override
        public void onPacket(PhasePacket<Object> packet) {
            DrppEngine e = engine;
            if (e == null) {
                return;
            }
            Object payload = packet.payload();
            double v;
            try {
                v = binding.extraction().extract(payload);
            } catch (IllegalArgumentException ex) {
                nonNumeric.incrementAndGet();
                e.skipped.incrementAndGet();
                skipLog.warn("DRPP skipped a packet on {}: {}", binding.channel(), ex.getMessage());
                return;
            }
            String stream = ValueExtraction.streamName(payload, binding.channel());
            long published = packet.publishedAtNanos();
            // an event this sample sets off (published on this thread) continues the sample's trace
            boolean traced = packet.trace() != null && packet.trace().sampled();
            if (traced) {
                inputTrace.set(packet.childTrace());
            }
            try {
                if (!e.onSample(stream, v, published)) {
                    skipLog.warn("DRPP skipped a sample of stream '{}' on {}: {}", stream, binding.channel(),
                            Double.isFinite(v) ? "more than max.streams = " + e.settings().maxStreams + " streams" : "value " + v + " is not finite");
                }
            } finally {
                if (traced) {
                    inputTrace.remove();
                }
            }
            TimeSource t = time;
            if (t != null && published > 0) {
                lagNanos = t.nowNanos() - published;
            }
        }

        @Override
        public String toString() {
            return "DRPP input " + binding;
        }
    }

    /** drpp.modulation and drpp.governance. */
    private final class ControlHandler implements PacketHandler<Object> {
        private final boolean modulation;

        ControlHandler(boolean modulation) {
            this.modulation = modulation;
        }

        @Override
        public void onPacket(PhasePacket<Object> packet) {
            DrppEngine e = engine;
            Object p = packet.payload();
            if (e == null) {
                return;
            }
            if (modulation && p instanceof Modulation m) {
                e.modulate(m.activation());
            } else if (!modulation && p instanceof GovernanceDecision d) {
                if (d.isFor(NAME)) {
                    String what = e.govern(d);
                    lastGovernance = what;
                    LOG.info("DRPP governance: {}", what);
                }
            } else {
                e.skipped.incrementAndGet();
                skipLog.warn("DRPP ignored a {} payload on {}: expected {}", p == null ? "null" : p.getClass().getName(),
                        packet.channel(), modulation ? Modulation.class.getSimpleName() : GovernanceDecision.class.getSimpleName());
            }
        }

        @Override
        public String toString() {
            return modulation ? "DRPP modulation" : "DRPP governance";
        }
    }

    // ---- CognitiveModule

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String algorithm() {
        return "Goertzel bank + FFT peaks (resonance), Kuramoto network (coherence), transfer entropy discrete + KSG (information flow), CUSUM (changepoints), matrix profile STOMP (motifs, discords)";
    }

    @Override
    public ComponentId componentId() {
        return ComponentId.DRPP;
    }

    @Override
    public Set<String> inputChannels() {
        DrppSettings s = settings;
        Set<String> out = new LinkedHashSet<>();
        if (s != null && s.enabled) {
            for (InputBinding b : s.inputs) {
                out.add(b.channel());
            }
            if (!s.modulationChannel.isEmpty()) {
                out.add(s.modulationChannel);
            }
            if (!s.governanceChannel.isEmpty()) {
                out.add(s.governanceChannel);
            }
        }
        return out;
    }

    @Override
    public Set<String> outputChannels() {
        DrppSettings s = settings;
        return s == null ? Set.of() : Set.of(s.outputChannel);
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        DrppEngine e = engine;
        if (e == null) {
            return m;
        }
        m.put("streams", (double) e.streams().size());
        m.put("processed", (double) e.processed());
        m.put("skipped", (double) e.skipped.get());
        m.put("events", (double) e.events.get());
        m.put("unpublished", (double) unpublished.get());
        if (Double.isFinite(e.orderParameter)) {
            m.put("coherence.r", e.orderParameter);
        }
        m.put("oscillators", (double) e.oscillatorCount);
        m.put("activation", e.activation());
        m.put("threshold.factor", e.factor());
        m.put("lag.us", lagNanos < 0 ? -1.0 : lagNanos / 1000.0);
        for (PairState p : e.pairs()) {
            if (Double.isFinite(p.lastBits)) {
                m.put("te." + p.pair + ".bits", p.lastBits);
            }
            if (Double.isFinite(p.lastNats)) {
                m.put("te." + p.pair + ".nats", p.lastNats);
            }
        }
        return m;
    }

    @Override
    public ModuleState state() {
        DrppSettings s = settings;
        DrppEngine e = engine;
        String activity = activity(s, e);
        long backlog = -1;
        EventBus b = bus;
        if (b != null && s != null) {
            backlog = 0;
            Set<String> inputs = inputChannels();
            for (SubscriptionInfo info : b.activeSubscriptions()) {
                if (bundleName.equals(info.owner()) && info.channel() != null && inputs.contains(info.channel())) {
                    backlog += info.queued();
                }
            }
        }
        return new ModuleState(NAME, activity, s == null ? List.of() : s.inputs, e == null ? 0 : e.processed(),
                e == null ? 0 : e.skipped.get(), backlog, lagNanos, metrics());
    }

    private String activity(DrppSettings s, DrppEngine e) {
        String p = problem;
        if (p != null && e == null) {
            return "idle: " + p;
        }
        if (s == null || e == null) {
            return "starting";
        }
        if (!s.enabled) {
            return "disabled";
        }
        if (s.inputs.isEmpty()) {
            return "idle: no input configured";
        }
        if (e.streams().isEmpty()) {
            return "idle: waiting for samples on " + String.join(", ", s.inputs.stream().map(InputBinding::channel).toList());
        }
        List<String> on = new ArrayList<>();
        e.switches().forEach((k, v) -> {
            if (v) {
                on.add(k);
            }
        });
        return String.format(Locale.ROOT, "analysing %d streams (%s), %d TE pairs", e.streams().size(), String.join(", ", on),
                e.pairs().size());
    }

    @Override
    public HealthReport health() {
        DrppEngine e = engine;
        String p = problem;
        List<String> details = new ArrayList<>();
        if (p != null) {
            details.add(p);
        }
        if (bus == null) {
            details.add("no EventBus bound: events are counted as unpublished");
        }
        if (e == null) {
            return HealthReport.down("DRPP has no valid configuration", details);
        }
        long lag = lagNanos;
        String summary = String.format(Locale.ROOT, "%s; processed %d, skipped %d, events %d, lag %s", activity(settings, e),
                e.processed(), e.skipped.get(), e.events.get(), lag < 0 ? "unknown" : (lag / 1000) + " us");
        if (e.workerRejected.get() > 0) {
            details.add(e.workerRejected.get() + " windowed analyses dropped: the worker was busy");
        }
        boolean degraded = !details.isEmpty();
        details.add("governance: " + lastGovernance);
        return degraded ? HealthReport.degraded(summary, details) : new HealthReport(io.chronofabric.api.core.HealthStatus.UP, summary, details);
    }

    // ---- console views

    List<PatternEvent> recentEvents() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    DrppEngine engine() {
        return engine;
    }

    long nonNumeric() {
        return nonNumeric.get();
    }
}
