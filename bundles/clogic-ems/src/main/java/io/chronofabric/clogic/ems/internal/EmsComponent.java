package io.chronofabric.clogic.ems.internal;

import io.chronofabric.clogic.common.internal.SnapshotFile;
import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.clogic.AffectModule;
import io.chronofabric.api.clogic.AffectState;
import io.chronofabric.api.clogic.AppraisalEvent;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.InputBinding;
import io.chronofabric.api.clogic.ModuleState;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.Pad;
import io.chronofabric.api.clogic.ValueExtraction;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.time.TimeSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * EMS as a C-LOGIC module. Input and signal channels are read through whiteboard
 * {@link PacketHandler}s (a restarted bus subscribes them again); one lock guards the model, taken
 * for the few hundred nanoseconds an appraisal lasts. A tick thread advances the model on the
 * {@link TimeSource}, reads new deadline misses, publishes {@link Modulation} and saves the
 * snapshot.
 */
@Component(name = EmsConfig.PID, configurationPid = EmsConfig.PID, immediate = true,
        service = {AffectModule.class, CognitiveModule.class}, property = CognitiveModule.MODULE_PROPERTY + "=ems")
@Designate(ocd = EmsConfig.class)
public final class EmsComponent implements AffectModule {

    private static final Logger LOG = LoggerFactory.getLogger(EmsComponent.class);
    static final String NAME = "ems";
    static final String SNAPSHOT_FILE = "state.properties";
    static final String ALGORITHM = "GAMYGDALA appraisal (Popescu, Broekens, van Someren 2014), exponential decay, gain limiter;"
            + " ALMA mood in PAD space (Gebhard 2005) from personality (Mehrabian 1996); emotion contagion (Bosse et al.)";
    private static final RoutingMetadata ROUTING = RoutingMetadata.defaults(ComponentId.EMS);
    private static final long SKIP_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private volatile EventBus bus;
    private volatile TimeSource time;
    private volatile DeadlineScheduler scheduler;

    private final AffectEngine engine = new AffectEngine(EmsSettings.DEFAULTS);
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final Map<String, ServiceRegistration<?>> handlers = new LinkedHashMap<>();
    private volatile long lagNanos = -1;
    private volatile long lastEventNanos = -1;
    private volatile Modulation lastModulation;
    private volatile String configProblem = "";
    private volatile String lastSkip = "";
    private volatile boolean paused;
    private volatile String pausedReason = "";
    private volatile double rateFactor = 1;
    private volatile boolean rebase;
    private final AtomicLong lastSkipLogNanos = new AtomicLong();
    private long lastPublishNanos = -1;
    private boolean dirty;
    private boolean wasActive;
    private long lastMissed = -1;
    private final AtomicLong fallbackNanos = new AtomicLong();

    // configuration in force (written under the lock of this component, read from any thread)
    private volatile EmsConfig config;
    private volatile ModelSetup setup;
    private volatile List<InputBinding> inputs = List.of();
    private volatile List<SignalRule> signals = List.of();
    private volatile String governanceChannel = "";
    private volatile String outputChannel = "ems.modulation";
    private volatile boolean padFromMood = true;

    private BundleContext context;
    private String symbolicName = "";
    private SnapshotFile snapshot;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> save;

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
        rebase = true;
    }

    void unbindTime(TimeSource t) {
        if (time == t) {
            time = null;
            rebase = true;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindScheduler(DeadlineScheduler s) {
        scheduler = s;
        synchronized (engine) {
            lastMissed = -1;
        }
    }

    void unbindScheduler(DeadlineScheduler s) {
        if (scheduler == s) {
            scheduler = null;
        }
    }

    @Activate
    void activate(BundleContext ctx, EmsConfig c) {
        context = ctx;
        symbolicName = ctx.getBundle().getSymbolicName();
        snapshot = new SnapshotFile(stateDir(ctx, c).resolve(SNAPSHOT_FILE), "ChronoFabric EMS state snapshot");
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "chronofabric-ems");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        apply(c, true);
        restore();
        LOG.info("EMS started: {} agents, {} goals, inputs {}, signals {}, publishing on {}; state in {}", setup.agents().size(),
                setup.goalCount(), inputs, signals.size(), outputChannel, snapshot.path());
    }

    @Modified
    void modified(EmsConfig c) {
        apply(c, false);
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (this) {
            handlers.values().forEach(EmsComponent::unregister);
            handlers.clear();
        }
        saveSnapshot();
    }

    // ---------------------------------------------------------------- configuration

    private synchronized void apply(EmsConfig c, boolean first) {
        List<String> problems = new ArrayList<>();
        ModelSetup s;
        try {
            s = ModelSetup.from(c);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            s = setup != null ? setup : ModelSetup.from(defaults());
        }
        List<InputBinding> in = inputs;
        try {
            in = InputBinding.parseAll(c.inputs());
        } catch (IllegalArgumentException e) {
            problems.add("inputs: " + e.getMessage());
        }
        List<SignalRule> sig = signals;
        try {
            sig = SignalRule.parseAll(c.signals());
        } catch (IllegalArgumentException e) {
            problems.add("signals: " + e.getMessage());
        }
        String gov = channelOrEmpty("governance.channel", c.governance_channel(), problems, governanceChannel);
        String out = channelOrEmpty("output.channel", c.output_channel(), problems, outputChannel);
        if (out.isEmpty()) {
            problems.add("output.channel is empty; keeping " + outputChannel);
            out = outputChannel;
        }
        String pad = c.modulation_pad() == null ? "" : c.modulation_pad().trim().toLowerCase(Locale.ROOT);
        boolean fromMood = padFromMood;
        if (pad.equals("mood") || pad.equals("emotion")) {
            fromMood = pad.equals("mood");
        } else {
            problems.add("modulation.pad '" + c.modulation_pad() + "' is not mood or emotion");
        }
        range(problems, "governance.alert.delta", c.governance_alert_delta(), -1, 1);
        range(problems, "deadline.delta.per.miss", c.deadline_delta_per_miss(), -1, 1);
        long tickMs = clampLong(problems, "tick.interval.ms", c.tick_interval_ms(), 10, 60_000, 200);
        clampLong(problems, "publish.interval.ms", c.publish_interval_ms(), 10, 3_600_000, 1000);
        long snapS = clampLong(problems, "snapshot.interval.s", c.snapshot_interval_s(), 1, 86_400, 10);

        synchronized (engine) {
            s.applyTo(engine);
        }
        setup = s;
        config = c;
        inputs = in;
        signals = sig;
        governanceChannel = gov;
        outputChannel = out;
        padFromMood = fromMood;
        configProblem = String.join("; ", problems);
        if (!problems.isEmpty()) {
            LOG.error("Configuration {}: {}", EmsConfig.PID, configProblem);
        }
        resubscribe(c.enabled());
        ScheduledExecutorService t = timer;
        if (t != null) {
            if (tick != null) {
                tick.cancel(false);
            }
            if (save != null) {
                save.cancel(false);
            }
            tick = t.scheduleWithFixedDelay(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
            save = t.scheduleWithFixedDelay(this::saveSnapshot, snapS, snapS, TimeUnit.SECONDS);
        }
        if (!first) {
            LOG.info("EMS reconfigured: {} agents, {} goals, inputs {}, {} signals{}", s.agents().size(), s.goalCount(), in, sig.size(),
                    c.enabled() ? "" : " (disabled)");
        }
    }

    private static String channelOrEmpty(String key, String value, List<String> problems, String previous) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return "";
        }
        try {
            return Channels.requireValid(v);
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return previous;
        }
    }

    private static void range(List<String> problems, String key, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            problems.add(key + " " + v + " is outside [" + min + ", " + max + "]");
        }
    }

    private static long clampLong(List<String> problems, String key, long v, long min, long max, long fallback) {
        if (v < min || v > max) {
            problems.add(key + " " + v + " is outside " + min + ".." + max + "; using " + fallback);
            return fallback;
        }
        return v;
    }

    /** One whiteboard handler per channel: inputs, signal rules and governance of that channel. */
    private void resubscribe(boolean enabled) {
        handlers.values().forEach(EmsComponent::unregister);
        handlers.clear();
        if (!enabled || context == null) {
            return;
        }
        Set<String> channels = new LinkedHashSet<>();
        inputs.forEach(i -> channels.add(i.channel()));
        signals.forEach(r -> channels.add(r.channel()));
        if (!governanceChannel.isEmpty()) {
            channels.add(governanceChannel);
        }
        for (String ch : channels) {
            boolean isInput = inputs.stream().anyMatch(i -> i.channel().equals(ch));
            List<SignalRule> rules = signals.stream().filter(r -> r.channel().equals(ch)).toList();
            boolean isGovernance = ch.equals(governanceChannel);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PacketHandler.CHANNEL, ch);
            props.put(PacketHandler.COMPONENT_ID, ComponentId.EMS.value());
            props.put("chronofabric.clogic", NAME);
            handlers.put(ch, context.registerService(PacketHandler.class, new ChannelHandler(ch, isInput, rules, isGovernance), props));
        }
    }

    private static EmsConfig defaults() {
        return (EmsConfig) java.lang.reflect.Proxy.newProxyInstance(EmsConfig.class.getClassLoader(), new Class<?>[] {EmsConfig.class},
                (proxy, method, args) -> method.getDefaultValue());
    }

    /** Handles the packets of one channel; runs on a bus dispatcher thread. */
    private final class ChannelHandler implements PacketHandler<Object> {
        private final String channel;
        private final boolean input;
        private final SignalRule[] rules;
        private final boolean governance;

        ChannelHandler(String channel, boolean input, List<SignalRule> rules, boolean governance) {
            this.channel = channel;
            this.input = input;
            this.rules = rules.toArray(new SignalRule[0]);
            this.governance = governance;
        }

        @Override
        public void onPacket(PhasePacket<Object> packet) {
            Object payload = packet.payload();
            long now = now();
            lagNanos = Math.max(0, now - packet.publishedAtNanos());
            boolean used = false;
            if (governance && payload instanceof GovernanceDecision d) {
                used = true;
                if (d.isFor(NAME)) {
                    governance(d, now);
                }
            }
            if (input && payload instanceof AppraisalEvent e) {
                used = true;
                appraiseCounted(e.agent(), e.goal(), e.utility(), e.likelihoodDelta(), e.causalAgent(), now, channel);
            }
            for (SignalRule r : rules) {
                if (r.matches(payload)) {
                    used = true;
                    double delta;
                    try {
                        delta = r.deltaFor(payload);
                    } catch (IllegalArgumentException x) {
                        skip(channel, x.getMessage());
                        continue;
                    }
                    appraiseCounted(AppraisalEvent.SELF, r.goal(), r.utility(), delta, "", now, channel);
                }
            }
            if (!used && input) {
                skip(channel, "payload " + payload.getClass().getName() + " is not an " + AppraisalEvent.class.getSimpleName());
            }
            if (used && packet.trace() != null && packet.trace().sampled()) {
                pendingTrace = packet.childTrace(); // the next Modulation continues this input's trace
            }
        }

        @Override
        public String toString() {
            return "EMS handler on " + channel;
        }
    }

    private void appraiseCounted(String agent, String goal, double utility, double delta, String causal, long now, String channel) {
        if (paused) {
            skip(channel, "appraisal paused by governance: " + pausedReason);
            return;
        }
        try {
            synchronized (engine) {
                rebaseIfNeeded(now);
                engine.appraise(agent, goal, utility, delta, causal, now);
                dirty = true;
            }
            processed.incrementAndGet();
            lastEventNanos = now;
        } catch (IllegalArgumentException e) {
            skip(channel, e.getMessage());
        }
    }

    private void governance(GovernanceDecision d, long now) {
        boolean forAppraisal = GovernanceDecision.ALL.equals(d.analysis()) || "appraisal".equals(d.analysis());
        switch (d.action()) {
            case DISABLE:
                if (forAppraisal) {
                    pausedReason = d.reason().isEmpty() ? "DISABLE from governance" : d.reason();
                    paused = true;
                    LOG.info("EMS appraisal paused by governance: {}", pausedReason);
                }
                break;
            case ENABLE:
                if (forAppraisal && paused) {
                    paused = false;
                    LOG.info("EMS appraisal resumed by governance");
                }
                break;
            case SET_RATE:
                rateFactor = d.value();
                break;
            case ALERT:
                EmsConfig c = config;
                String goal = c.governance_goal() == null ? "" : c.governance_goal().trim();
                if (!goal.isEmpty()) {
                    double delta = Math.max(-1, Math.min(1, c.governance_alert_delta() * d.value()));
                    appraiseCounted(AppraisalEvent.SELF, goal, 1, delta, "", now, governanceChannel);
                }
                break;
            default:
                break;
        }
    }

    private void skip(String channel, String why) {
        skipped.incrementAndGet();
        lastSkip = channel + ": " + why;
        // no lock here: skip() is called with and without the model's lock held
        long t = System.nanoTime();
        long last = lastSkipLogNanos.get();
        if ((last == 0 || t - last > SKIP_LOG_INTERVAL_NANOS) && lastSkipLogNanos.compareAndSet(last, t)) {
            LOG.warn("EMS skipped a packet on {} ({} skipped so far; logged at most every 10 s)", lastSkip, skipped.get());
        }
    }

    // ---------------------------------------------------------------- time

    long now() {
        TimeSource t = time;
        if (t != null) {
            return t.nowNanos();
        }
        long wall = System.currentTimeMillis() * 1_000_000L;
        return fallbackNanos.accumulateAndGet(wall, Math::max);
    }

    /** Caller holds the engine lock. */
    private void rebaseIfNeeded(long now) {
        if (rebase) {
            rebase = false;
            if (engine.lastNanos() > now || time == null) {
                engine.rebase(now);
            }
        }
    }

    /** Advances the model, reads deadline misses, publishes modulation when due. */
    void tick() {
        try {
            long now = now();
            Modulation m = null;
            EmsConfig c = config;
            synchronized (engine) {
                rebaseIfNeeded(now);
                engine.advanceTo(now);
                deadlines(c, now);
                boolean active = engine.isActive(1e-3);
                long interval = (long) (c.publish_interval_ms() * 1_000_000L / Math.max(1e-3, rateFactor));
                boolean settled = wasActive && !active;
                wasActive = active;
                boolean due = dirty || settled || (active && (lastPublishNanos < 0 || now - lastPublishNanos >= interval));
                if (due && c.enabled()) {
                    AffectState s = engine.state(AppraisalEvent.SELF, now);
                    Pad pad = padFromMood ? s.mood() : s.emotionPad();
                    m = new Modulation(NAME, pad, s.dominantEmotion(), s.intensity(), now);
                    dirty = false;
                    lastPublishNanos = now;
                }
            }
            if (m != null) {
                publish(m);
            }
        } catch (RuntimeException e) {
            LOG.warn("EMS tick failed: {}", e.toString());
        }
    }

    /** Caller holds the engine lock. */
    private void deadlines(EmsConfig c, long now) {
        DeadlineScheduler s = scheduler;
        String goal = c.deadline_goal() == null ? "" : c.deadline_goal().trim();
        if (s == null || goal.isEmpty() || paused) {
            return;
        }
        long missed;
        try {
            missed = s.stats().missed();
        } catch (RuntimeException e) {
            return;
        }
        if (lastMissed < 0 || missed < lastMissed) {
            lastMissed = missed;
            return;
        }
        long n = missed - lastMissed;
        if (n > 0) {
            lastMissed = missed;
            double delta = Math.max(-1, Math.min(1, c.deadline_delta_per_miss() * n));
            try {
                engine.appraise(AppraisalEvent.SELF, goal, 1, delta, "", now);
                processed.incrementAndGet();
                lastEventNanos = now;
                dirty = true;
            } catch (IllegalArgumentException e) {
                skip("deadline misses", e.getMessage());
            }
        }
    }

    /** The trace of the latest traced input, continued by the next Modulation (then cleared). */
    private volatile io.chronofabric.api.trace.TraceContext pendingTrace;

    private void publish(Modulation m) {
        EventBus b = bus;
        lastModulation = m;
        if (b == null) {
            return;
        }
        io.chronofabric.api.trace.TraceContext trace = pendingTrace;
        pendingTrace = null;
        try {
            b.publish(trace == null ? PhasePacket.of(m, outputChannel, ROUTING)
                    : PhasePacket.builder((Object) m).channel(outputChannel).routing(ROUTING).trace(trace).build());
            published.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.debug("EMS could not publish modulation: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------- snapshot

    static Path stateDir(BundleContext bc, EmsConfig c) {
        String configured = c.state_dir();
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String karafData = bc == null ? null : bc.getProperty("karaf.data");
        if (karafData != null) {
            return Path.of(karafData, "chronofabric", "clogic.ems");
        }
        File data = bc == null ? null : bc.getDataFile("");
        if (data != null) {
            return data.toPath();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "chronofabric", "clogic.ems");
    }

    private void restore() {
        try {
            Optional<Properties> p = snapshot.load();
            if (p.isEmpty()) {
                return;
            }
            List<String> left;
            long now = now();
            synchronized (engine) {
                left = engine.restore(p.get());
                if (engine.lastNanos() > now) {
                    engine.rebase(now);
                }
            }
            processed.set(Long.parseLong(p.get().getProperty("processed", "0")));
            long last = Long.parseLong(p.get().getProperty("last.event.nanos", "-1"));
            lastEventNanos = Math.min(last, now);
            skipped.set(Long.parseLong(p.get().getProperty("skipped", "0")));
            LOG.info("EMS state restored from {} ({} events appraised before){}", snapshot.path(), processed.get(),
                    left.isEmpty() ? "" : "; not configured any more: " + left);
        } catch (IOException | RuntimeException e) {
            LOG.warn("EMS could not restore its state from {}: {}; starting fresh", snapshot.path(), e.getMessage());
        }
    }

    void saveSnapshot() {
        SnapshotFile f = snapshot;
        if (f == null) {
            return;
        }
        Properties p;
        synchronized (engine) {
            engine.advanceTo(now());
            p = engine.snapshot();
        }
        p.setProperty("processed", Long.toString(processed.get()));
        p.setProperty("skipped", Long.toString(skipped.get()));
        p.setProperty("last.event.nanos", Long.toString(lastEventNanos));
        try {
            f.save(p);
        } catch (IOException e) {
            LOG.warn("EMS could not save its state to {}: {}", f.path(), e.toString());
        }
    }

    // ---------------------------------------------------------------- AffectModule

    @Override
    public Set<String> agents() {
        synchronized (engine) {
            return engine.agentNames();
        }
    }

    @Override
    public AffectState affect(String agent) {
        long now = now();
        synchronized (engine) {
            rebaseIfNeeded(now);
            return engine.state(agent, now);
        }
    }

    @Override
    public Map<String, Double> goals(String agent) {
        synchronized (engine) {
            return engine.goals(agent);
        }
    }

    @Override
    public AffectState appraise(AppraisalEvent event) {
        long now = now();
        synchronized (engine) {
            rebaseIfNeeded(now);
            engine.appraise(event.agent(), event.goal(), event.utility(), event.likelihoodDelta(), event.causalAgent(), now);
            dirty = true;
            processed.incrementAndGet();
            lastEventNanos = now;
            return engine.state(event.agent(), now);
        }
    }

    @Override
    public Modulation lastModulation() {
        return lastModulation;
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
        return ComponentId.EMS;
    }

    @Override
    public Set<String> inputChannels() {
        Set<String> s = new LinkedHashSet<>();
        inputs.forEach(i -> s.add(i.channel()));
        signals.forEach(r -> s.add(r.channel()));
        if (!governanceChannel.isEmpty()) {
            s.add(governanceChannel);
        }
        return s;
    }

    @Override
    public Set<String> outputChannels() {
        return Set.of(outputChannel);
    }

    @Override
    public Map<String, Double> metrics() {
        AffectState s = affect(AppraisalEvent.SELF);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mood.p", s.mood().pleasure());
        m.put("mood.a", s.mood().arousal());
        m.put("mood.d", s.mood().dominance());
        m.put("intensity", s.intensity());
        m.put("emotions", (double) s.emotions().size());
        m.put("emotion.p", s.emotionPad().pleasure());
        m.put("emotion.a", s.emotionPad().arousal());
        m.put("emotion.d", s.emotionPad().dominance());
        m.put("processed", (double) processed.get());
        m.put("skipped", (double) skipped.get());
        m.put("published", (double) published.get());
        return m;
    }

    @Override
    public ModuleState state() {
        // one binding per channel: inputs, then signal channels, then the governance channel
        Map<String, InputBinding> byChannel = new LinkedHashMap<>();
        inputs.forEach(i -> byChannel.putIfAbsent(i.channel(), i));
        signals.forEach(r -> byChannel.putIfAbsent(r.channel(),
                new InputBinding(r.channel(), r.extraction() == null ? ValueExtraction.auto() : r.extraction())));
        if (!governanceChannel.isEmpty()) {
            byChannel.putIfAbsent(governanceChannel, new InputBinding(governanceChannel, ValueExtraction.auto()));
        }
        List<InputBinding> bindings = new ArrayList<>(byChannel.values());
        return new ModuleState(NAME, activity(), bindings, processed.get(), skipped.get(), backlog(), lagNanos, metrics());
    }

    private String activity() {
        EmsConfig c = config;
        if (c != null && !c.enabled()) {
            return "disabled by configuration (enabled = false)";
        }
        if (paused) {
            return "appraisal paused by governance: " + pausedReason;
        }
        AffectState s = affect(AppraisalEvent.SELF);
        String mood = "mood " + s.mood().octant() + " " + s.mood();
        if (lastEventNanos < 0) {
            return "idle: no event appraised yet; " + mood;
        }
        double ago = (now() - lastEventNanos) / 1e9;
        String feeling = s.emotions().isEmpty() ? "no active emotion"
                : s.dominantEmotion() + String.format(Locale.ROOT, " %.3f", s.emotion(s.dominantEmotion()));
        return String.format(Locale.ROOT, "appraising %d goals of %d agents; last event %.1f s ago; %s; %s", setup.goalCount(),
                setup.agents().size(), ago, feeling, mood);
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
            if (bus == null) {
                details.add("no EventBus service: nothing is read or published");
            }
            if (time == null) {
                details.add("no TimeSource service: the wall clock drives decay");
            }
            if (paused) {
                details.add("appraisal paused by governance: " + pausedReason);
            }
            if (!lastSkip.isEmpty()) {
                details.add("last skipped packet: " + lastSkip);
            }
            String summary = activity();
            boolean degraded = !configProblem.isEmpty() || bus == null || time == null || paused;
            return degraded ? HealthReport.degraded(summary, details) : new HealthReport(io.chronofabric.api.core.HealthStatus.UP, summary, details);
        } catch (RuntimeException e) {
            return HealthReport.down("EMS failed to report: " + e, List.of());
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // gone with the bundle
        }
    }
}
