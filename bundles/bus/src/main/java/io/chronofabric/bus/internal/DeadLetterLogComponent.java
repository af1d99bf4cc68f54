package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.core.InitializationException;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.time.TimeSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.osgi.framework.BundleContext;
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
 * The DeadLetterLog service: a {@link DeadLetterStore} in {@code ${karaf.data}/chronofabric/bus/deadletter}
 * (or the configured directory). The bus (same bundle) records into it through
 * {@link DeadLetterSink}; replays publish through whichever EventBusTx is registered (dynamic,
 * optional, greedy), so the log and the bus start, stop and swap independently.
 */
@Component(name = DeadLetterConfig.PID, configurationPid = DeadLetterConfig.PID, service = DeadLetterLog.class, immediate = true)
@Designate(ocd = DeadLetterConfig.class)
public final class DeadLetterLogComponent implements DeadLetterLog, DeadLetterSink, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLogComponent.class);

    /**
     * The bus for replay. Not a DS reference: the bus references this log, and a cycle of two
     * references makes SCR leave one of them unbound at start ("ServiceFactory.getService()
     * resulted in a cycle"); a tracker looked up at replay time has no cycle.
     */
    private volatile EventBusTx bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile TimeSource time;

    private final Object lifecycle = new Object();
    private final LongSupplier clock = () -> {
        TimeSource t = time;
        return t != null ? t.nowNanos() : System.currentTimeMillis() * 1_000_000L;
    };
    private volatile DeadLetterStore store;
    private BundleContext context;
    private ScheduledExecutorService syncer;
    private ScheduledFuture<?> syncTask;

    /** How often the live log imports side files written after an older log stopped. */
    static final long LATE_IMPORT_INTERVAL_MS = 1000;

    /** For tests: a component on a store opened elsewhere, publishing through {@code bus}. */
    static DeadLetterLogComponent on(DeadLetterStore store, EventBusTx bus) {
        DeadLetterLogComponent c = new DeadLetterLogComponent();
        c.store = store;
        c.bus = bus;
        return c;
    }

    @Activate
    void activate(BundleContext bc, DeadLetterConfig config) {
        context = bc;
        DeadLetterStore.Options options = options(bc, config);
        try {
            store = DeadLetterStore.open(options, clock, DeadLetterLogComponent::loadPayloadClass);
        } catch (IOException | RuntimeException e) {
            throw new InitializationException("dead-letter log", "cannot open " + options.dir() + ": " + e.getMessage(), e);
        }
        opened(store);
        syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chronofabric-deadletter-fsync");
            t.setDaemon(true);
            return t;
        });
        schedule(options);
        syncer.scheduleWithFixedDelay(this::importLate, LATE_IMPORT_INTERVAL_MS, LATE_IMPORT_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    /** Imports side files into the current log; on the fsync thread. Never throws. */
    void importLate() {
        try {
            DeadLetterStore s = store;
            if (s != null) {
                s.importLate();
            }
        } catch (RuntimeException e) {
            LOG.warn("Dead-letter log: importing late records failed: {}", e.toString());
        }
    }

    @Modified
    void modified(DeadLetterConfig config) {
        DeadLetterStore.Options next = options(context, config);
        synchronized (lifecycle) {
            DeadLetterStore current = store;
            if (next.dir().equals(current.dir())) {
                current.reconfigure(next);
                LOG.info("Dead-letter log reconfigured: {}", describe(next));
            } else {
                DeadLetterStore moved;
                try {
                    moved = DeadLetterStore.open(next, clock, DeadLetterLogComponent::loadPayloadClass);
                } catch (IOException | RuntimeException e) {
                    LOG.error("Refused configuration {}: cannot open dir {} ({}); the log stays in {}", DeadLetterConfig.PID, next.dir(),
                            e.getMessage(), current.dir());
                    current.reconfigure(new DeadLetterStore.Options(current.dir(), next.maxEntries(), next.maxBytes(), next.fsync(),
                            next.fsyncIntervalNanos(), next.liveEntries(), next.maxPayloadBytes()));
                    return;
                }
                store = moved;
                current.close();
                LOG.info("Dead-letter log moved from {} to {} ({} entries stay in the old directory)", current.dir(), next.dir(),
                        current.size());
                opened(moved);
            }
            schedule(next);
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lifecycle) {
            if (syncer != null) {
                syncer.shutdownNow();
            }
            DeadLetterStore s = store;
            if (s != null) {
                s.close();
                LOG.info("Dead-letter log closed at {} entries (next sequence {})", s.size(), s.nextSequence());
            }
        }
    }

    private void opened(DeadLetterStore s) {
        if (s.recoveryReport() != null) {
            LOG.warn("Dead-letter log recovery in {}: {}", s.dir(), s.recoveryReport());
        }
        LOG.info("Dead-letter log open in {}: {} entries (sequences {} to {}), {}", s.dir(), s.size(), s.firstSequence(),
                s.nextSequence() - 1, describe(s.options()));
    }

    private void schedule(DeadLetterStore.Options o) {
        if (syncTask != null) {
            syncTask.cancel(false);
        }
        long interval = o.fsyncIntervalNanos();
        syncTask = syncer.scheduleWithFixedDelay(() -> store.syncIfDue(), interval, interval, TimeUnit.NANOSECONDS);
    }

    private static String describe(DeadLetterStore.Options o) {
        return "max.entries=" + o.maxEntries() + ", max.bytes=" + o.maxBytes() + ", fsync=" + o.fsync()
                + (o.fsync() == DeadLetterStore.Fsync.PERIODIC ? " every " + TimeUnit.NANOSECONDS.toMillis(o.fsyncIntervalNanos()) + " ms" : "")
                + ", live.entries=" + o.liveEntries() + ", max.payload.bytes=" + o.maxPayloadBytes();
    }

    /** The options a configuration asks for; a bad value is logged (naming it) and its default used. */
    static DeadLetterStore.Options options(BundleContext bc, DeadLetterConfig c) {
        Path dir;
        if (c.dir() != null && !c.dir().isBlank()) {
            dir = Path.of(c.dir().trim());
        } else if (bc != null && bc.getProperty("karaf.data") != null) {
            dir = Path.of(bc.getProperty("karaf.data"), "chronofabric", "bus", "deadletter");
        } else if (bc != null && bc.getDataFile("deadletter") != null) {
            dir = bc.getDataFile("deadletter").toPath();
        } else {
            throw new InitializationException("dead-letter log", "no directory: set dir in " + DeadLetterConfig.PID
                    + " (there is no karaf.data property and the framework gives the bundle no data area)");
        }
        DeadLetterStore.Options d = DeadLetterStore.Options.defaults(dir);
        long maxEntries = c.max_entries();
        if (maxEntries < 1) {
            refuse("max.entries", maxEntries, "must be at least 1", d.maxEntries());
            maxEntries = d.maxEntries();
        }
        long maxBytes = c.max_bytes();
        if (maxBytes < DeadLetterStore.MIN_MAX_BYTES) {
            refuse("max.bytes", maxBytes, "must be at least " + DeadLetterStore.MIN_MAX_BYTES, d.maxBytes());
            maxBytes = d.maxBytes();
        }
        DeadLetterStore.Fsync fsync;
        try {
            fsync = DeadLetterStore.Fsync.parse(c.fsync());
        } catch (IllegalArgumentException e) {
            refuse("fsync", c.fsync(), "is not one of periodic, every-append", d.fsync());
            fsync = d.fsync();
        }
        long interval = c.fsync_interval_ms();
        if (interval < 1) {
            refuse("fsync.interval.ms", interval, "must be at least 1", TimeUnit.NANOSECONDS.toMillis(d.fsyncIntervalNanos()));
            interval = TimeUnit.NANOSECONDS.toMillis(d.fsyncIntervalNanos());
        }
        int live = c.live_entries();
        if (live < 0) {
            refuse("live.entries", live, "must not be negative", d.liveEntries());
            live = d.liveEntries();
        }
        int payload = c.max_payload_bytes();
        if (payload < 0 || payload > DeadLetterStore.MAX_PAYLOAD_BYTES) {
            refuse("max.payload.bytes", payload, "is out of range 0.." + DeadLetterStore.MAX_PAYLOAD_BYTES, d.maxPayloadBytes());
            payload = d.maxPayloadBytes();
        }
        return new DeadLetterStore.Options(dir, maxEntries, maxBytes, fsync, TimeUnit.MILLISECONDS.toNanos(interval), live, payload);
    }

    private static void refuse(String key, Object value, String rule, Object used) {
        LOG.error("Refused configuration {}: {}={} {}; using {}", DeadLetterConfig.PID, key, value, rule, used);
    }

    /** Payload classes resolve through this (the bus) bundle's class loader, then the thread's context class loader. */
    static Class<?> loadPayloadClass(String name) throws ClassNotFoundException {
        try {
            return Class.forName(name, false, DeadLetterLogComponent.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            if (tccl == null) {
                throw e;
            }
            return Class.forName(name, false, tccl);
        }
    }

    // ------------------------------------------------------------------ DeadLetterSink

    @Override
    public long record(PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause) {
        DeadLetterStore s = store;
        if (s == null) {
            return NOT_RECORDED;
        }
        long seq = s.isClosed() ? NOT_RECORDED : s.record(packet, reason, subscriber, cause);
        if (seq == NOT_RECORDED && s.isClosed()) {
            DeadLetterStore now = store;
            if (now != s) {
                // the log moved to another directory meanwhile: record there
                seq = now.record(packet, reason, subscriber, cause);
            } else {
                seq = recordAfterStop(s.options(), packet, reason, subscriber, cause);
            }
        }
        return seq;
    }

    /**
     * The fixed bus of a test, else the best EventBusTx registered now (looked up when needed:
     * replay is rare), or null. The reference is not released: the service registry drops it
     * when this bundle stops, and the bus lives in this same bundle.
     */
    private EventBusTx currentBus() {
        EventBusTx fixed = bus;
        if (fixed != null) {
            return fixed;
        }
        BundleContext bc = context;
        if (bc == null) {
            return null;
        }
        try {
            org.osgi.framework.ServiceReference<EventBusTx> ref = bc.getServiceReference(EventBusTx.class);
            return ref == null ? null : bc.getService(ref);
        } catch (IllegalStateException e) {
            return null; // the bundle is stopping
        }
    }

    /**
     * A bus stopping after this component (both live in the bus bundle; SCR deactivates them in
     * either order), or a bus of an older revision still running while the new revision's log
     * holds the directory, still has dead letters to write: each goes to a side file of its own,
     * without the directory lock (never a second writer on the segments), and the live log
     * imports it (now or at its next start). Slow, and only ever used in that window.
     *
     * @return {@link #RECORDED_LATE}, or {@link #NOT_RECORDED} if the side file failed (logged)
     */
    private long recordAfterStop(DeadLetterStore.Options options, PhasePacket<?> packet, String reason,
            SubscriptionId subscriber, Throwable cause) {
        return DeadLetterStore.recordLate(options, packet, reason, subscriber, cause, clock);
    }

    // ------------------------------------------------------------------ DeadLetterLog

    @Override
    public long size() {
        return store.size();
    }

    @Override
    public long firstSequence() {
        return store.firstSequence();
    }

    @Override
    public long nextSequence() {
        return store.nextSequence();
    }

    @Override
    public List<DeadLetterEntry> list(long fromSequence, int max) {
        return store.list(fromSequence, max);
    }

    @Override
    public List<DeadLetterEntry> latest(int max) {
        return store.latest(max);
    }

    @Override
    public DeadLetterEntry get(long sequence) {
        return store.get(sequence);
    }

    @Override
    public MessageId replay(long sequence, boolean force) {
        return store.replay(sequence, force, currentBus());
    }

    @Override
    public long clear() {
        return store.clear();
    }

    // ------------------------------------------------------------------ HealthIndicator

    @Override
    public HealthReport health() {
        try {
            DeadLetterStore s = store;
            if (s == null || s.isClosed()) {
                return HealthReport.down("dead-letter log closed", List.of());
            }
            DeadLetterStore.Options o = s.options();
            long size = s.size();
            String summary = size + " dead letters" + (size > 0 ? " (sequences " + s.firstSequence() + " to " + (s.nextSequence() - 1) + ")" : "")
                    + ", " + s.bytes() + " of " + o.maxBytes() + " bytes";
            List<String> details = new ArrayList<>();
            details.add("entries " + size + " of " + o.maxEntries() + "; evicted since start " + s.evicted());
            details.add("stored as text only (replayable only while the original object is in memory): " + s.textOnly());
            details.add("directory " + s.dir() + ", fsync " + o.fsync());
            if (s.recoveryReport() != null) {
                details.add("recovery at start: " + s.recoveryReport());
            }
            if (s.lateImported() > 0 || s.lateProblem() != null) {
                details.add("late records imported from side files (written after an older log stopped): " + s.lateImported()
                        + "; corrupt side files: " + s.lateCorrupt()
                        + (s.lateProblem() != null ? ", the last problem: " + s.lateProblem() : ""));
            }
            if (s.lastWriteError() != null) {
                details.add("write failures " + s.writeFailures() + ", the last: " + s.lastWriteError());
            }
            if (currentBus() == null) {
                details.add("no EventBusTx service: replay is unavailable");
            }
            HealthStatus status = s.lastWriteFailed() ? HealthStatus.DEGRADED : HealthStatus.UP;
            return new HealthReport(status, status == HealthStatus.DEGRADED ? summary + "; writes are failing" : summary, details);
        } catch (RuntimeException e) {
            return HealthReport.down("dead-letter log health unavailable: " + e, List.of());
        }
    }
}
