package io.chronofabric.clogic.egc.internal;

import io.chronofabric.clogic.common.internal.SnapshotFile;
import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.InputBinding;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.ModuleMetrics;
import io.chronofabric.api.clogic.ModuleState;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.clogic.ValueExtraction;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.clogic.egc.internal.stl.Miner;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * EGC as a C-LOGIC module: signals arrive through whiteboard {@link PacketHandler}s (latest value
 * kept), a timer samples every spec each period (timestamps from the {@link TimeSource}), and the
 * decisions of violations and recoveries go to {@code egc.decisions}.
 */
@Component(name = EgcConfig.PID, configurationPid = EgcConfig.PID, immediate = true,
        service = {CognitiveModule.class, EgcComponent.class}, property = CognitiveModule.MODULE_PROPERTY + "=egc")
@Designate(ocd = EgcConfig.class)
public final class EgcComponent implements CognitiveModule {

    private static final Logger LOG = LoggerFactory.getLogger(EgcComponent.class);
    static final String NAME = "egc";
    static final String SPEC_PREFIX = "spec.";
    static final String ALGORITHM = "Signal Temporal Logic online monitoring, quantitative robustness (Donzé & Maler 2010), pastified bounded"
            + " future (RTAMT), streaming min/max (Lemire 2006), bounded until/since by a sliding-window fold; violation/recovery rules"
            + " -> GovernanceDecisions, weighted majority among proposers (Littlestone & Warmuth 1994), through the consensus log when present";
    private static final RoutingMetadata ROUTING = RoutingMetadata.defaults(ComponentId.EGC);
    private static final long SKIP_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private volatile EventBus bus;
    private volatile TimeSource time;
    private volatile io.chronofabric.api.scheduler.DeadlineScheduler scheduler;
    private volatile boolean readsScheduler;
    private volatile io.chronofabric.api.ledger.SecureImmutableLedger ledger;
    private volatile boolean readsLedger;

    final EgcEngine engine = new EgcEngine();
    /** The actuators of THROTTLE and ORACLE_HINT decisions (optional: without them a decision says it was not applied). */
    private volatile io.chronofabric.api.bus.ChannelThrottle throttle;
    private volatile io.chronofabric.api.scheduler.TimeOracle oracle;

    {
        engine.actuator(new Actuator(() -> throttle, () -> oracle));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindThrottle(io.chronofabric.api.bus.ChannelThrottle t) {
        throttle = t;
    }

    void unbindThrottle(io.chronofabric.api.bus.ChannelThrottle t) {
        if (throttle == t) {
            throttle = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindOracle(io.chronofabric.api.scheduler.TimeOracle o) {
        oracle = o;
    }

    void unbindOracle(io.chronofabric.api.scheduler.TimeOracle o) {
        if (oracle == o) {
            oracle = null;
        }
    }
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong lastSkipLog = new AtomicLong();
    private final Map<String, ServiceRegistration<?>> handlers = new LinkedHashMap<>();
    private final Map<String, String> handlerKeys = new LinkedHashMap<>();
    private volatile List<InputBinding> inputs = List.of();
    private volatile List<SignalBinding> signals = List.of();
    private volatile String outputChannel = "egc.decisions";
    private volatile boolean enabled = true;
    private volatile boolean readsBus;
    private volatile String configProblem = "";
    private volatile String lastSkip = "";
    private volatile long lagNanos = -1;
    private volatile long periodMs = 1000;
    private volatile double miningMargin = 0.1;
    private volatile String modulationChannel = "egc.modulation";
    private volatile boolean useConsensus = true;
    private volatile io.chronofabric.api.consensus.Consensus consensus;
    private volatile io.chronofabric.api.consensus.Consensus connected;
    private io.chronofabric.api.consensus.Consensus.LearnHandle learnHandle;
    private final AtomicLong proposed = new AtomicLong();
    private final AtomicLong proposalsFailed = new AtomicLong();
    private final AtomicLong committedApplied = new AtomicLong();
    /** Log entries up to this index were committed before this node connected: replayed, not applied. */
    private volatile long replayUpTo = -1;
    /** Set once activate restored the snapshot; the consensus log is joined only after. */
    private boolean restored;
    private final AtomicLong modulations = new AtomicLong();
    private volatile String lastProposalFailure = "";

    private BundleContext context;
    private String symbolicName = "";
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> save;
    private ScheduledFuture<?> rescan;
    private EgcConfig lastConfig;
    private Map<String, Object> lastProps = Map.of();
    private volatile Map<String, String> fileSpecs = Map.of();
    private volatile java.nio.file.Path specDir;
    private SnapshotFile snapshot;

    /** NAME:CHANNEL[=EXTRACTION]. */
    record SignalBinding(String name, InputBinding binding) {
        static List<SignalBinding> parseAll(String[] entries) {
            List<SignalBinding> out = new ArrayList<>();
            if (entries == null) {
                return out;
            }
            for (String e : entries) {
                if (e == null) {
                    continue;
                }
                for (String part : e.split(",")) {
                    String p = part.trim();
                    if (p.isEmpty()) {
                        continue;
                    }
                    int c = p.indexOf(':');
                    if (c <= 0) {
                        throw new IllegalArgumentException("signals entry '" + p + "' is not NAME:CHANNEL[=EXTRACTION]");
                    }
                    out.add(new SignalBinding(p.substring(0, c).trim(), InputBinding.parseAll(p.substring(c + 1).trim()).get(0)));
                }
            }
            return out;
        }
    }

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
    void bindScheduler(io.chronofabric.api.scheduler.DeadlineScheduler s) {
        scheduler = s;
    }

    void unbindScheduler(io.chronofabric.api.scheduler.DeadlineScheduler s) {
        if (scheduler == s) {
            scheduler = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindLedger(io.chronofabric.api.ledger.SecureImmutableLedger l) {
        ledger = l;
    }

    void unbindLedger(io.chronofabric.api.ledger.SecureImmutableLedger l) {
        if (ledger == l) {
            ledger = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindConsensus(io.chronofabric.api.consensus.Consensus c) {
        consensus = c;
        reconnect();
    }

    void unbindConsensus(io.chronofabric.api.consensus.Consensus c) {
        if (consensus == c) {
            consensus = null;
            reconnect();
        }
    }

    /**
     * Local or replicated decisions: with a Consensus service (and consensus = auto) the engine's
     * entries are proposed to the log and applied when learned. The log is read from its first index:
     * the entries committed before this node connected are replayed for the weights and the cluster's
     * violated flags only (they were acted upon when committed: nothing is published again), so a node
     * that joins late or restarts has the same weights as the others. "Before" is the log's commit
     * index when this node connects, or the last index this node applied as its snapshot says (after
     * a restart the Consensus service is there before its log is recovered, at commit index -1; the
     * snapshot is saved after every applied entry, so at most the entries of the last moment before a
     * kill are applied twice), or the last index this component applied (a re-bound service that
     * recovers says -1 too). After the replay the THROTTLE / ORACLE_HINT decisions of specs the cluster
     * still has violated are applied again (a restarted node's bus limits and oracle pin are gone).
     * When the log was compacted (consensus retain.values), the replay starts after it and the weights
     * and violated flags are this node's own (its snapshot's). When the log cannot be read at all yet
     * (compacted, and the service still recovering), EGC stays replicated, its decisions wait in the
     * outbox, and it tries again on its timer (1 s doubling to {@link #RETRY_MAX_MS}, warned once).
     */
    synchronized void reconnect() {
        io.chronofabric.api.consensus.Consensus want = useConsensus && context != null && restored ? consensus : null;
        if (want == connected) {
            return;
        }
        if (learnHandle != null) {
            learnHandle.close();
            learnHandle = null;
        }
        connected = null;
        if (retry != null && want != retrying) {
            retry.cancel(false);
            retry = null;
        }
        if (want == null) {
            retrying = null;
            engine.replicated(false, "local");
            return;
        }
        EgcEngine.Forgotten own = null;
        try {
            String node = want.view().localNode();
            if (!(want == retrying && engine.replicated() && node.equals(engine.localNode()))) {
                engine.replicated(true, node); // a retry keeps the proposals queued meanwhile
            }
            // what this node applied since its snapshot counts too (a re-bound service may say -1 while it recovers)
            long upTo = Math.max(want.commitIndex(), Math.max(engine.restoredLogIndex(), engine.logIndex()));
            own = engine.forgetForReplay();
            try {
                replayUpTo = upTo;
                replayOpen = upTo >= 0;
                learnHandle = want.learn(0, this::learned);
                LOG.info("EGC decisions go through the consensus log as node {}; its entries up to index {} are replayed for the weights", node,
                        upTo);
            } catch (IllegalArgumentException compacted) {
                replayOpen = false;
                engine.unforget(own);
                learnHandle = want.learn(upTo + 1, this::learned);
                LOG.warn("EGC decisions go through the consensus log as node {}; its start cannot be replayed ({}): the weights and violated"
                        + " specs are this node's own, the log applied from index {}", node, compacted.getMessage(), upTo + 1);
            }
            connected = want;
            if (retrying != null) {
                LOG.info("EGC joined the consensus log as node {} after {} retries", node, retries);
            }
            retrying = null;
            retries = 0;
        } catch (RuntimeException e) {
            replayOpen = false;
            if (own != null) {
                engine.unforget(own);
            }
            lastProposalFailure = "consensus learn failed: " + e.getMessage();
            if (!engine.replicated()) {
                engine.replicated(true, "local"); // decisions wait for the log, they are not taken alone meanwhile
            }
            if (retrying != want) {
                LOG.warn("EGC cannot learn from the consensus log yet ({}); its decisions wait for the log, retrying every {} ms at most",
                        e.toString(), RETRY_MAX_MS);
                retries = 0;
            }
            retrying = want;
            scheduleRetry();
        }
    }

    /** Longest wait between two tries to join the consensus log (they start at 1 s and double). */
    static final long RETRY_MAX_MS = 30_000;
    /** The Consensus service EGC could not learn from yet (tries again on its timer), or null. */
    private io.chronofabric.api.consensus.Consensus retrying;
    private ScheduledFuture<?> retry;
    private int retries;
    /** The replay of entries up to {@link #replayUpTo} is under way (actuations re-applied when it is done). */
    private volatile boolean replayOpen;

    private void scheduleRetry() {
        ScheduledExecutorService t = timer;
        if (t == null || (retry != null && !retry.isDone())) {
            return;
        }
        long delay = Math.min(RETRY_MAX_MS, 1000L << Math.min(retries, 5));
        retries++;
        try {
            retry = t.schedule(() -> {
                synchronized (this) {
                    retry = null;
                }
                reconnect();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            retry = null;
        }
    }

    /** Whether EGC waits to join the consensus log (health; tests). */
    synchronized boolean retryingForTest() {
        return retrying != null;
    }

    /** The replay is complete: re-apply what is still in force in the cluster's view (a restarted node lost it). */
    private void replayDone() {
        replayOpen = false;
        List<io.chronofabric.api.clogic.GovernanceDecision> again = engine.finishReplay();
        if (!again.isEmpty()) {
            LOG.info("EGC re-applied {} actuating decision(s) of specs the cluster still has violated after replaying the log", again.size());
        }
    }

    synchronized io.chronofabric.api.consensus.Consensus connectedForTest() {
        return connected;
    }

    private void learned(io.chronofabric.api.consensus.CommittedValue v) {
        DecisionEntry e;
        try {
            e = DecisionEntry.decode(v.value());
        } catch (IllegalArgumentException x) {
            LOG.warn("EGC ignored log entry {}: {}", v.index(), x.getMessage());
            e = null;
        }
        if (v.index() <= replayUpTo) {
            if (e != null) {
                engine.replay(e, v.index());
            }
            if (replayOpen && v.index() >= replayUpTo) {
                replayDone();
            }
            return;
        }
        if (replayOpen) { // past the replayed entries (the last of them was not EGC's, or the log is shorter)
            replayDone();
        }
        if (e != null) {
            committedApplied.incrementAndGet();
            publish(engine.apply(e, v.index()));
            ScheduledExecutorService t = timer;
            if (t != null) {
                try {
                    t.execute(this::saveSnapshot); // the applied index, for a restart (not on the consensus thread)
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // deactivate saves it
                }
            }
        }
    }

    private void propose(List<DecisionEntry> entries) {
        io.chronofabric.api.consensus.Consensus c = connected;
        for (DecisionEntry e : entries) {
            if (c == null) {
                publish(engine.apply(e));
                continue;
            }
            proposed.incrementAndGet();
            try {
                c.propose(e.encode()).whenComplete((ok, x) -> {
                    if (x != null) {
                        proposalsFailed.incrementAndGet();
                        lastProposalFailure = "spec " + e.spec() + ": " + x;
                        LOG.warn("EGC decision for spec {} was not committed: {}", e.spec(), x.toString());
                    }
                });
            } catch (RuntimeException x) {
                proposalsFailed.incrementAndGet();
                lastProposalFailure = "spec " + e.spec() + ": " + x;
                LOG.warn("EGC decision for spec {} could not be proposed: {}", e.spec(), x.toString());
            }
        }
    }

    private void publish(List<EgcEngine.DecisionRecord> ds) {
        EventBus b = bus;
        for (EgcEngine.DecisionRecord d : ds) {
            LOG.info("EGC decision: {} {} {} {}: {}", d.decision().module(), d.decision().analysis(), d.decision().action(),
                    d.decision().value(), d.decision().reason());
            if (b != null) {
                try {
                    b.publish(PhasePacket.of(d.decision(), outputChannel, ROUTING));
                    published.incrementAndGet();
                } catch (RuntimeException e) { // e.g. the bus without a clock at start-up: the decision stands, its packet is lost
                    skip(outputChannel, "decision for spec " + d.spec() + " not published: " + e.getMessage());
                }
            }
        }
    }

    @Activate
    void activate(BundleContext ctx, EgcConfig c, Map<String, Object> props) {
        context = ctx;
        symbolicName = ctx.getBundle().getSymbolicName();
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "chronofabric-egc");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        snapshot = new SnapshotFile(stateDir(ctx, c).resolve("state.properties"), "ChronoFabric EGC state snapshot");
        apply(c, props);
        restore();
        synchronized (this) {
            restored = true; // the snapshot's weights and applied index are in: the log may be joined
        }
        reconnect();
        // local mode only (no consensus, or none bound): a spec removed while EGC was stopped leaves nothing in force;
        // with consensus the log's view decides (sweepActuations does nothing while replicated)
        publish(engine.sweepActuations(now()));
        LOG.info("EGC started: {} specs, inputs {}, {} signal bindings, period {} ms, publishing on {}", engine.specCount(), inputs,
                signals.size(), periodMs, outputChannel);
    }

    @Modified
    void modified(EgcConfig c, Map<String, Object> props) {
        apply(c, props);
        publish(engine.sweepActuations(now())); // monitors restart satisfied: lift what they set (re-applied if still violated)
        LOG.info("EGC reconfigured: {} specs{}", engine.specCount(), enabled ? "" : " (disabled)");
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (this) {
            if (learnHandle != null) {
                learnHandle.close();
                learnHandle = null;
            }
            connected = null;
            handlers.values().forEach(EgcComponent::unregister);
            handlers.clear();
            handlerKeys.clear();
        }
        saveSnapshot();
    }

    static java.nio.file.Path specDir(BundleContext bc, EgcConfig c) {
        String configured = c.spec_dir() == null ? "" : c.spec_dir().trim();
        if (configured.equals("-")) {
            return null;
        }
        if (!configured.isEmpty()) {
            return java.nio.file.Path.of(configured);
        }
        String etc = bc == null ? null : bc.getProperty("karaf.etc");
        return etc == null ? null : java.nio.file.Path.of(etc, "egc");
    }

    /** NAME.stl files of the directory (none when it does not exist); an unreadable file is a problem named in health. */
    static Map<String, String> readSpecFiles(java.nio.file.Path dir, List<String> problems) {
        Map<String, String> out = new TreeMap<>();
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            return out;
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".stl") || !java.nio.file.Files.isRegularFile(f)) {
                    continue;
                }
                String name = file.substring(0, file.length() - 4);
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    problems.add("spec file " + f + ": the name '" + name + "' is not letters, digits and _");
                    continue;
                }
                try {
                    out.put(name, java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    problems.add("spec file " + f + " cannot be read: " + e.getMessage());
                }
            }
        } catch (java.io.IOException e) {
            problems.add("spec directory " + dir + " cannot be listed: " + e.getMessage());
        }
        return out;
    }

    /** Applies the configuration again when the spec files changed (timer; tests call it). */
    void rescan() {
        try {
            EgcConfig c;
            Map<String, Object> p;
            synchronized (this) {
                c = lastConfig;
                p = lastProps;
            }
            if (c == null) {
                return;
            }
            Map<String, String> now = readSpecFiles(specDir, new ArrayList<>());
            if (!now.equals(fileSpecs)) {
                LOG.info("EGC spec files in {} changed: {}", specDir, now.keySet());
                apply(c, p);
                publish(engine.sweepActuations(now()));
            }
        } catch (RuntimeException e) {
            LOG.error("EGC spec file rescan failed", e);
        }
    }

    static java.nio.file.Path stateDir(BundleContext bc, EgcConfig c) {
        String configured = c.state_dir();
        if (configured != null && !configured.isBlank()) {
            return java.nio.file.Path.of(configured.trim());
        }
        String karafData = bc == null ? null : bc.getProperty("karaf.data");
        if (karafData != null) {
            return java.nio.file.Path.of(karafData, "chronofabric", "clogic.egc");
        }
        java.io.File data = bc == null ? null : bc.getDataFile("");
        if (data != null) {
            return data.toPath();
        }
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "chronofabric", "clogic.egc");
    }

    private void restore() {
        try {
            java.util.Optional<java.util.Properties> p = snapshot.load();
            if (p.isPresent()) {
                List<String> restored = engine.restore(p.get());
                LOG.info("EGC state restored from {}: specs {}", snapshot.path(), restored);
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("EGC could not restore its state from {}: {}; starting fresh", snapshot.path(), e.getMessage());
        }
    }

    /** One save at a time: the timer's (after an applied entry) and deactivate's share the file's .tmp sibling. */
    private final Object saveLock = new Object();

    void saveSnapshot() {
        SnapshotFile f = snapshot;
        if (f == null) {
            return;
        }
        try {
            synchronized (saveLock) {
                f.save(engine.snapshot());
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("EGC could not save its state to {}: {}", f.path(), e.getMessage());
        }
    }

    static Map<String, String> specTexts(Map<String, Object> props) {
        Map<String, String> specs = new TreeMap<>();
        if (props != null) {
            for (Map.Entry<String, Object> e : props.entrySet()) {
                if (e.getKey().startsWith(SPEC_PREFIX) && e.getKey().length() > SPEC_PREFIX.length() && e.getValue() != null) {
                    Object v = e.getValue();
                    String text = v instanceof String[] a ? String.join(",", a) : v.toString();
                    if (!text.isBlank()) {
                        specs.put(e.getKey().substring(SPEC_PREFIX.length()), text);
                    }
                }
            }
        }
        return specs;
    }

    synchronized void apply(EgcConfig c, Map<String, Object> props) {
        lastConfig = c;
        lastProps = props == null ? Map.of() : props;
        List<String> problems = new ArrayList<>();
        specDir = specDir(context, c);
        fileSpecs = readSpecFiles(specDir, problems);
        Map<String, String> allSpecs = new TreeMap<>(fileSpecs);
        allSpecs.putAll(specTexts(props));
        long period = c.period_ms();
        if (period < 1 || period > 3_600_000) {
            problems.add("period.ms " + period + " is outside 1..3600000; using 1000");
            period = 1000;
        }
        List<InputBinding> in = inputs;
        try {
            in = InputBinding.parseAll(c.inputs());
        } catch (IllegalArgumentException e) {
            problems.add("inputs: " + e.getMessage());
        }
        List<SignalBinding> sig = signals;
        try {
            sig = SignalBinding.parseAll(c.signals());
        } catch (IllegalArgumentException e) {
            problems.add("signals: " + e.getMessage());
        }
        String out = c.output_channel() == null ? "" : c.output_channel().trim();
        try {
            out = Channels.requireValid(out);
        } catch (IllegalArgumentException e) {
            problems.add("output.channel: " + e.getMessage() + "; keeping " + outputChannel);
            out = outputChannel;
        }
        try {
            engine.configure(allSpecs, period / 1000.0, Rule.parseAll(c.rules()), Math.max(1, Math.min(100_000, c.history_size())),
                    c.mining_window());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (keeping the previous specs and rules)");
        }
        inputs = in;
        signals = sig;
        outputChannel = out;
        periodMs = period;
        if (c.mining_margin() >= 0 && Double.isFinite(c.mining_margin())) {
            miningMargin = c.mining_margin();
        } else {
            problems.add("mining.margin " + c.mining_margin() + " is not a number >= 0; keeping " + miningMargin);
        }
        try {
            String a = c.arbitration() == null ? "" : c.arbitration().trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            EgcEngine.Arbitration arb;
            try {
                arb = EgcEngine.Arbitration.valueOf(a);
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("arbitration '" + c.arbitration() + "' is not weighted_majority or all");
            }
            engine.arbitration(arb, c.outcome_window(), c.wm_beta(), c.hysteresis());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (keeping the previous arbitration)");
        }
        String mc = c.modulation_channel() == null ? "" : c.modulation_channel().trim();
        String before = modulationChannel;
        if (mc.isEmpty() || mc.equals("-")) {
            modulationChannel = "";
        } else {
            try {
                modulationChannel = Channels.requireValid(mc);
            } catch (IllegalArgumentException e) {
                problems.add("modulation.channel: " + e.getMessage() + "; keeping " + modulationChannel);
            }
        }
        if (!modulationChannel.equals(before)) {
            engine.modulate(0.5, 0); // what the old channel said does not hold on the new one
        }
        String cs = c.consensus() == null ? "auto" : c.consensus().trim().toLowerCase(java.util.Locale.ROOT);
        if (!cs.equals("auto") && !cs.equals("off")) {
            problems.add("consensus '" + c.consensus() + "' is not auto or off; using auto");
            cs = "auto";
        }
        useConsensus = cs.equals("auto");
        enabled = c.enabled();
        readsBus = engine.signalNames().stream().anyMatch(s -> s.startsWith("bus."));
        readsScheduler = engine.signalNames().stream().anyMatch(s -> s.startsWith("scheduler."));
        readsLedger = engine.signalNames().stream().anyMatch(s -> s.startsWith("ledger."));
        configProblem = String.join("; ", problems);
        if (!problems.isEmpty()) {
            LOG.error("Configuration {}: {}", EgcConfig.PID, configProblem);
        }
        resubscribe();
        reconnect();
        ScheduledExecutorService t = timer;
        if (t != null) {
            if (tick != null) {
                tick.cancel(false);
            }
            tick = enabled ? t.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS) : null;
            long snapS = c.snapshot_interval_s();
            if (snapS < 1 || snapS > 86_400) {
                LOG.error("Configuration {}: snapshot.interval.s {} is outside 1..86400; using 10", EgcConfig.PID, snapS);
                snapS = 10;
            }
            if (save != null) {
                save.cancel(false);
            }
            save = t.scheduleWithFixedDelay(this::saveSnapshot, snapS, snapS, TimeUnit.SECONDS);
            if (rescan == null) {
                rescan = t.scheduleWithFixedDelay(this::rescan, 5, 5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * One whiteboard handler per channel. A channel whose bindings did not change keeps its handler
     * (re-registering would leave a moment without a subscriber, and a packet published then would be lost).
     */
    private void resubscribe() {
        Map<String, String> wanted = new LinkedHashMap<>();
        if (enabled && context != null) {
            Set<String> channels = new LinkedHashSet<>();
            inputs.forEach(i -> channels.add(i.channel()));
            signals.forEach(s -> channels.add(s.binding().channel()));
            if (!modulationChannel.isEmpty()) {
                channels.add(modulationChannel);
            }
            for (String ch : channels) {
                InputBinding input = inputs.stream().filter(i -> i.channel().equals(ch)).findFirst().orElse(null);
                List<SignalBinding> named = signals.stream().filter(s -> s.binding().channel().equals(ch)).toList();
                wanted.put(ch, String.valueOf(input) + "|" + named + "|" + ch.equals(modulationChannel));
            }
        }
        for (java.util.Iterator<Map.Entry<String, ServiceRegistration<?>>> it = handlers.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, ServiceRegistration<?>> e = it.next();
            String ch = e.getKey();
            if (!wanted.containsKey(ch) || !wanted.get(ch).equals(handlerKeys.get(ch))) {
                unregister(e.getValue());
                handlerKeys.remove(ch);
                it.remove();
            }
        }
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            String ch = w.getKey();
            if (handlers.containsKey(ch)) {
                continue;
            }
            InputBinding input = inputs.stream().filter(i -> i.channel().equals(ch)).findFirst().orElse(null);
            List<SignalBinding> named = signals.stream().filter(s -> s.binding().channel().equals(ch)).toList();
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(PacketHandler.CHANNEL, ch);
            p.put(PacketHandler.COMPONENT_ID, ComponentId.EGC.value());
            p.put("chronofabric.clogic", NAME);
            handlers.put(ch, context.registerService(PacketHandler.class, new ChannelHandler(ch, input, named, ch.equals(modulationChannel)), p));
            handlerKeys.put(ch, w.getValue());
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException ignored) {
            // already gone with the bundle
        }
    }

    private final class ChannelHandler implements PacketHandler<Object> {
        private final String channel;
        private final InputBinding input;
        private final SignalBinding[] named;
        private final boolean modulation;

        ChannelHandler(String channel, InputBinding input, List<SignalBinding> named, boolean modulation) {
            this.channel = channel;
            this.input = input;
            this.named = named.toArray(new SignalBinding[0]);
            this.modulation = modulation;
        }

        @Override
        public void onPacket(PhasePacket<Object> packet) {
            Object payload = packet.payload();
            lagNanos = Math.max(0, now() - packet.publishedAtNanos());
            try {
                if (modulation && payload instanceof Modulation m) {
                    engine.modulate(m.activation(), m.pad().pleasure());
                    modulations.incrementAndGet();
                    processed.incrementAndGet();
                    if (input == null && named.length == 0) {
                        return;
                    }
                } else if (modulation && input == null && named.length == 0) {
                    throw new IllegalArgumentException("expected a Modulation, got " + (payload == null ? "null" : payload.getClass().getName()));
                }
                if (input != null) {
                    if (payload instanceof Sample s) {
                        engine.offer(s.stream(), s.value());
                    } else if (payload instanceof ModuleMetrics m) {
                        m.values().forEach((k, v) -> {
                            if (!Double.isNaN(v)) {
                                engine.offer(m.module() + "." + k, v);
                            }
                        });
                    } else {
                        engine.offer(channel, input.extraction().extract(payload));
                    }
                }
                for (SignalBinding s : named) {
                    engine.offer(s.name(), s.binding().extraction().extract(payload));
                }
                processed.incrementAndGet();
            } catch (IllegalArgumentException e) {
                skip(channel, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "EGC handler on " + channel;
        }
    }

    private void skip(String channel, String why) {
        skipped.incrementAndGet();
        lastSkip = channel + ": " + why;
        long t = System.nanoTime();
        long last = lastSkipLog.get();
        if ((last == 0 || t - last > SKIP_LOG_INTERVAL_NANOS) && lastSkipLog.compareAndSet(last, t)) {
            LOG.warn("EGC skipped a packet on {} ({} skipped so far; logged at most every 10 s)", lastSkip, skipped.get());
        }
    }

    private long now() {
        TimeSource t = time;
        return t != null ? t.nowNanos() : System.nanoTime();
    }

    /** One sampling step; runs on the timer thread (tests call it directly). */
    void tick() {
        try {
            EventBus b = bus;
            if (readsBus && b != null) {
                BusStats s = b.stats();
                engine.offer("bus.p50_us", s.p50LatencyNanos() / 1e3);
                engine.offer("bus.p99_us", s.p99LatencyNanos() / 1e3);
                engine.offer("bus.recent_p99_us", s.recentP99LatencyNanos() / 1e3);
                engine.offer("bus.avg_us", s.avgLatencyNanos() / 1e3);
                engine.offer("bus.recent_avg_us", s.recentAvgLatencyNanos() / 1e3);
                engine.offer("bus.throughput", s.throughputPerSecond());
                engine.offer("bus.dropped", s.dropped());
                engine.offer("bus.dead_lettered", s.deadLettered());
                engine.offer("bus.failed", s.failed());
            }
            io.chronofabric.api.scheduler.DeadlineScheduler sch = scheduler;
            if (readsScheduler && sch != null) {
                io.chronofabric.api.scheduler.SchedulerStats st = sch.stats();
                engine.offer("scheduler.load", st.load());
                engine.offer("scheduler.queued", st.queued());
                engine.offer("scheduler.running", st.running());
                engine.offer("scheduler.completed", st.completed());
                engine.offer("scheduler.missed", st.missed());
                engine.offer("scheduler.failed", st.failed());
                if (st.recent() != null) {
                    engine.offer("scheduler.recent_miss_rate", st.recent().missRate());
                }
            }
            io.chronofabric.api.ledger.SecureImmutableLedger led = ledger;
            if (readsLedger && led != null) {
                try {
                    offerLedger(engine, led);
                } catch (RuntimeException e) { // a ledger closing under us: its specs wait, the others go on
                    skip("ledger signals", e.toString());
                }
            }
            ticks.incrementAndGet();
            publish(engine.tick(now()));
            // replicated but not joined yet (the log cannot be read, a retry is due): the entries stay queued
            List<DecisionEntry> out = engine.replicated() && connected == null ? List.of() : engine.drainOutbox();
            if (!out.isEmpty()) {
                propose(out);
            }
        } catch (RuntimeException e) {
            LOG.error("EGC tick failed", e);
        }
    }

    /**
     * The ledger's signals: {@code ledger.size} (entries in the log), {@code ledger.entries} and
     * {@code ledger.append_calls} (appended since the ledger was opened), {@code ledger.fsyncs}, and
     * the append latency in microseconds, {@code ledger.append_avg_us} (mean) and
     * {@code ledger.append_p50_us} / {@code ledger.append_p99_us} (the ledger's histogram bucket bound
     * at or above the quantile: an upper estimate; +inf in the overflow bucket). The latency signals
     * are not offered before the first append (their specs wait); a ledger that keeps no statistics
     * ({@link io.chronofabric.api.ledger.LedgerStats#NONE}) gives only {@code ledger.size}.
     */
    static void offerLedger(EgcEngine engine, io.chronofabric.api.ledger.SecureImmutableLedger l) {
        engine.offer("ledger.size", l.size());
        io.chronofabric.api.ledger.LedgerStats st = l.stats();
        if (st == null || st == io.chronofabric.api.ledger.LedgerStats.NONE) {
            return; // a ledger that keeps no statistics: only its size
        }
        engine.offer("ledger.entries", st.entries());
        engine.offer("ledger.append_calls", st.appendCalls());
        engine.offer("ledger.fsyncs", st.fsyncs());
        if (st.appendCalls() > 0) {
            engine.offer("ledger.append_avg_us", st.latencySumNanos() / 1e3 / st.appendCalls());
        }
        offerQuantile(engine, "ledger.append_p50_us", st.latencyQuantileUpperNanos(0.5));
        offerQuantile(engine, "ledger.append_p99_us", st.latencyQuantileUpperNanos(0.99));
    }

    private static void offerQuantile(EgcEngine engine, String signal, long nanos) {
        if (nanos >= 0) {
            engine.offer(signal, nanos == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : nanos / 1e3);
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
        return ComponentId.EGC;
    }

    @Override
    public Set<String> inputChannels() {
        Set<String> s = new LinkedHashSet<>();
        inputs.forEach(i -> s.add(i.channel()));
        signals.forEach(b -> s.add(b.binding().channel()));
        if (!modulationChannel.isEmpty()) {
            s.add(modulationChannel);
        }
        return s;
    }

    @Override
    public Set<String> outputChannels() {
        return Set.of(outputChannel);
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("specs", (double) engine.specCount());
        m.put("violated", (double) engine.violatedCount());
        m.put("decisions", (double) engine.decisionCount());
        m.put("published", (double) published.get());
        m.put("ticks", (double) ticks.get());
        m.put("processed", (double) processed.get());
        m.put("skipped", (double) skipped.get());
        m.put("modulations", (double) modulations.get());
        m.put("activation", engine.activation());
        m.put("valence", engine.valence());
        m.put("hysteresis", engine.hysteresis());
        m.put("wrong_decisions", (double) engine.wrongs());
        m.put("duplicate_decisions", (double) engine.duplicates());
        m.put("proposed", (double) proposed.get());
        m.put("proposals_failed", (double) proposalsFailed.get());
        m.put("committed_applied", (double) committedApplied.get());
        m.put("replayed", (double) engine.replayed());
        return m;
    }

    private String activity() {
        if (!enabled) {
            return "disabled";
        }
        if (engine.specCount() == 0) {
            return "idle: no spec configured";
        }
        return engine.specCount() + " specs every " + periodMs + " ms, " + engine.violatedCount() + " violated, " + engine.decisionCount()
                + " decisions";
    }

    @Override
    public ModuleState state() {
        List<InputBinding> b = new ArrayList<>(inputs);
        signals.forEach(s -> b.add(s.binding()));
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
            if (bus == null) {
                details.add("no EventBus service: nothing is read or published");
            }
            if (time == null) {
                details.add("no TimeSource service: System.nanoTime stamps the decisions");
            }
            for (EgcEngine.SpecView v : engine.specs()) {
                if (v.status().startsWith("waiting")) {
                    details.add("spec " + v.name() + ": " + v.status());
                }
            }
            if (!lastSkip.isEmpty()) {
                details.add("last skipped packet: " + lastSkip);
            }
            details.add(engine.replicated() ? "decisions through the consensus log as node " + engine.localNode() : "decisions local (no consensus)");
            boolean waiting = retryingForTest();
            if (waiting) {
                details.add("waiting to join the consensus log (decisions queued, retrying on EGC's timer)");
            }
            if (!lastProposalFailure.isEmpty()) {
                details.add("last consensus problem: " + lastProposalFailure);
            }
            boolean degraded = !configProblem.isEmpty() || bus == null || waiting;
            return degraded ? HealthReport.degraded(activity(), details) : new HealthReport(HealthStatus.UP, activity(), details);
        } catch (RuntimeException e) {
            return HealthReport.down("EGC failed to report: " + e, List.of());
        }
    }

    /** Parametric mining over the signal's recent samples (csf:egc-mine); margin NaN = the configured one. */
    Miner.Result mine(String signal, String template, double margin) {
        return Miner.mine(template, signal, engine.history(signal), Double.isNaN(margin) ? miningMargin : margin, "c");
    }

    long periodMs() {
        return periodMs;
    }

    String outputChannel() {
        return outputChannel;
    }
}
