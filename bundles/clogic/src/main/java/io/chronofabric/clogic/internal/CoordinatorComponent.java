package io.chronofabric.clogic.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.ClogicCoordinator;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.LinkStatus;
import io.chronofabric.api.core.HealthReport;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * The C-LOGIC coordinator. Keeps the configured cross-talk links on whichever bus is bound (a
 * restarted or replaced bus gets them again within one check interval; the bus also keeps links
 * itself), and tracks every {@link CognitiveModule} service. A bus only links a channel it knows,
 * so the coordinator subscribes a counting whiteboard handler to each link's source channel: that
 * makes the channel known and counts the packets the link forwards.
 */
@Component(name = ClogicConfig.PID, configurationPid = ClogicConfig.PID, service = ClogicCoordinator.class, immediate = true)
@Designate(ocd = ClogicConfig.class)
public final class CoordinatorComponent implements ClogicCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorComponent.class);
    static final String OWNED_FILE = "owned-links.txt";

    private volatile EventBus bus;
    private final List<CognitiveModule> modules = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, ServiceRegistration<?>> counters = new LinkedHashMap<>();
    private BundleContext context;
    private LinkKeeper keeper;
    private Path stateDir;
    private ScheduledExecutorService timer;
    private volatile ScheduledFuture<?> check;
    private String configProblem = "";
    private final Set<String> loggedProblems = new LinkedHashSet<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindBus(EventBus b) {
        bus = b;
        scheduleCheck();
    }

    void unbindBus(EventBus b) {
        if (bus == b) {
            bus = null;
        }
        scheduleCheck();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addModule(CognitiveModule module) {
        modules.add(module);
        LOG.info("C-LOGIC module {} registered ({})", safeName(module), safeAlgorithm(module));
    }

    void removeModule(CognitiveModule module) {
        modules.remove(module);
        LOG.info("C-LOGIC module {} went away", safeName(module));
    }

    @Activate
    void activate(BundleContext ctx, ClogicConfig config) {
        context = ctx;
        stateDir = stateDir(ctx, config);
        synchronized (lock) {
            keeper = new LinkKeeper(loadOwned(stateDir.resolve(OWNED_FILE)));
        }
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "chronofabric-clogic-links");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        apply(config);
    }

    @Modified
    void modified(ClogicConfig config) {
        apply(config);
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (lock) {
            counters.values().forEach(CoordinatorComponent::unregister);
            counters.clear();
        }
    }

    private void apply(ClogicConfig config) {
        long interval = config.check_interval_ms();
        List<LinkSpec> links;
        String problem = "";
        if (interval < 100 || interval > 600_000) {
            problem = "check.interval.ms " + interval + " is outside 100..600000; using 2000";
            interval = 2000;
        }
        try {
            links = LinkSpec.parseAll(config.links());
        } catch (IllegalArgumentException e) {
            problem = (problem.isEmpty() ? "" : problem + "; ") + "links: " + e.getMessage() + "; keeping the previous links";
            synchronized (lock) {
                links = keeper.desired();
            }
        }
        if (!problem.isEmpty()) {
            LOG.error("Configuration {}: {}", ClogicConfig.PID, problem);
        }
        synchronized (lock) {
            configProblem = problem;
            keeper.configure(links);
            Set<String> sources = new LinkedHashSet<>();
            links.forEach(l -> sources.add(l.from()));
            for (String ch : List.copyOf(counters.keySet())) {
                if (!sources.contains(ch)) {
                    unregister(counters.remove(ch));
                }
            }
            for (String ch : sources) {
                counters.computeIfAbsent(ch, this::registerCounter);
            }
        }
        ScheduledExecutorService t = timer;
        if (t != null) {
            if (check != null) {
                check.cancel(false);
            }
            check = t.scheduleWithFixedDelay(this::checkLinks, 0, interval, TimeUnit.MILLISECONDS);
        }
        LOG.info("C-LOGIC coordinator keeps {} links: {}", links.size(), links);
    }

    private ServiceRegistration<?> registerCounter(String channel) {
        LongAdder n = counts.computeIfAbsent(channel, c -> new LongAdder());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PacketHandler.CHANNEL, channel);
        props.put("chronofabric.clogic", "link-counter");
        return context.registerService(PacketHandler.class, new PacketHandler<Object>() {
            @Override
            public void onPacket(PhasePacket<Object> packet) {
                n.increment();
            }

            @Override
            public String toString() {
                return "C-LOGIC link counter on " + channel;
            }
        }, props);
    }

    private void scheduleCheck() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            try {
                t.execute(this::checkLinks);
            } catch (RuntimeException e) {
                // stopping
            }
        }
    }

    /** One reconcile pass; runs on the coordinator's thread. */
    void checkLinks() {
        try {
            synchronized (lock) {
                if (keeper == null) {
                    return;
                }
                boolean changed = keeper.reconcile(bus, this::forwarded);
                for (Map.Entry<LinkSpec, String> p : keeper.problems().entrySet()) {
                    if (loggedProblems.add(p.getKey() + ": " + p.getValue())) {
                        LOG.warn("C-LOGIC link {} is not active: {} (retrying every check)", p.getKey(), p.getValue());
                    }
                }
                if (keeper.problems().isEmpty() && !loggedProblems.isEmpty()) {
                    LOG.info("C-LOGIC links all active again");
                    loggedProblems.clear();
                }
                if (changed) {
                    saveOwned(stateDir.resolve(OWNED_FILE), keeper.owned());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("C-LOGIC link check failed: {}", e.toString());
        }
    }

    private long forwarded(String channel) {
        LongAdder n = counts.get(channel);
        return n == null ? -1 : n.sum();
    }

    @Override
    public List<CognitiveModule> modules() {
        List<CognitiveModule> list = new ArrayList<>(modules);
        list.sort(Comparator.comparing(CoordinatorComponent::safeName));
        return List.copyOf(list);
    }

    @Override
    public List<LinkStatus> links() {
        synchronized (lock) {
            return keeper == null ? List.of() : keeper.status();
        }
    }

    @Override
    public HealthReport health() {
        List<LinkStatus> links = links();
        long active = links.stream().filter(LinkStatus::active).count();
        String summary = active + "/" + links.size() + " links active, " + modules.size() + " modules";
        List<String> details = new ArrayList<>();
        for (LinkStatus l : links) {
            if (!l.active()) {
                details.add("link " + l + ": " + l.problem());
            }
        }
        if (!configProblem.isEmpty()) {
            details.add("configuration: " + configProblem);
        }
        if (bus == null) {
            return HealthReport.degraded("no EventBus service; " + summary, details);
        }
        return details.isEmpty() ? HealthReport.up(summary) : HealthReport.degraded(summary, details);
    }

    static Path stateDir(BundleContext bc, ClogicConfig config) {
        String configured = config.state_dir();
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String karafData = bc == null ? null : bc.getProperty("karaf.data");
        if (karafData != null) {
            return Path.of(karafData, "chronofabric", "clogic");
        }
        File data = bc == null ? null : bc.getDataFile("");
        if (data != null) {
            return data.toPath();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "chronofabric", "clogic");
    }

    static Set<LinkSpec> loadOwned(Path file) {
        Set<LinkSpec> owned = new LinkedHashSet<>();
        if (!Files.exists(file)) {
            return owned;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                try {
                    owned.add(LinkSpec.parse(t));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Ignoring line '{}' of {}: {}", t, file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not read {}: {}; links the coordinator made before are not removed when unconfigured", file, e.toString());
        }
        return owned;
    }

    /** Atomic replace: temp file, fsync, rename. */
    static void saveOwned(Path file, Set<LinkSpec> owned) {
        StringBuilder text = new StringBuilder("# Channel links the C-LOGIC coordinator made (removed when no longer configured)\n");
        owned.forEach(l -> text.append(l).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("Could not save {}: {}", file, e.toString());
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    static String safeName(CognitiveModule m) {
        try {
            return m.name();
        } catch (RuntimeException e) {
            return "(failing module: " + e + ")";
        }
    }

    private static String safeAlgorithm(CognitiveModule m) {
        try {
            return m.algorithm();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
