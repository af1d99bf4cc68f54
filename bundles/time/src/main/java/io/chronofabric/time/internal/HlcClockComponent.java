package io.chronofabric.time.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HlcClock service: {@link HlcClockImpl} driven by whichever TimeSource is active, with its
 * node id and maximum offset from {@code io.chronofabric.time}, and its high-water mark kept on
 * disk so timestamps stay monotonic across a restart.
 *
 * <p>Persistence: while running, a background thread keeps a ceiling on disk that is
 * {@code 4 x persist.interval.ms} ahead of the clock, rewritten before the clock gets within
 * half of that of it; a clean stop writes the exact last timestamp. After a crash the clock
 * starts at the ceiling, so it is above everything issued before unless the clock jumped by
 * more than the ceiling's lead within one interval just before the crash (a simulated-time jump
 * or a remote update).
 */
@Component(name = "io.chronofabric.time.hlc", configurationPid = TimeConfig.PID, service = HlcClock.class)
public final class HlcClockComponent implements HlcClock, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(HlcClockComponent.class);
    static final String STATE_FILE = "hlc.state";

    private volatile TimeSource source;
    private HlcClockImpl clock;
    private HlcStateStore store;
    private ScheduledExecutorService persister;
    private ScheduledFuture<?> persistTask;
    private long persistIntervalNanos = TimeUnit.MILLISECONDS.toNanos(1000);
    private volatile long ceilingPhysical = -1;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTimeSource(TimeSource ts) {
        source = ts;
        HlcClockImpl c = clock;
        if (c != null) {
            c.setSource(ts);
            LOG.info("HLC now reads time source '{}'", ts.kind());
        }
    }

    void unbindTimeSource(TimeSource ts) {
        // A replacement is bound before the old source is unbound; without one SCR deactivates us.
    }

    @Activate
    void activate(BundleContext bc, TimeConfig config, Map<String, Object> raw) {
        int nodeId = 0;
        long maxOffsetNanos = TimeUnit.MILLISECONDS.toNanos(500);
        try {
            nodeId = readNodeId(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; using node.id={}", TimeConfig.PID, e.getMessage(), nodeId);
        }
        try {
            maxOffsetNanos = readMaxOffsetNanos(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; using max.offset.ms=500", TimeConfig.PID, e.getMessage());
        }
        try {
            persistIntervalNanos = readPersistIntervalNanos(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; using persist.interval.ms=1000", TimeConfig.PID, e.getMessage());
        }
        clock = new HlcClockImpl(source, nodeId, maxOffsetNanos);
        store = new HlcStateStore(stateDir(bc, config).resolve(STATE_FILE));
        restore();
        persister = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chronofabric-hlc-persist");
            t.setDaemon(true);
            return t;
        });
        schedulePersist();
        LOG.info("HLC started: node {}, max offset {} ms, state {}", nodeId,
                TimeUnit.NANOSECONDS.toMillis(maxOffsetNanos), store.file());
    }

    @Modified
    void modified(TimeConfig config, Map<String, Object> raw) {
        try {
            clock.setNodeId(readNodeId(config, raw));
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; keeping node.id={}", TimeConfig.PID, e.getMessage(), clock.nodeId());
        }
        try {
            clock.setMaxOffsetNanos(readMaxOffsetNanos(config, raw));
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; keeping max.offset.ms={}", TimeConfig.PID, e.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(clock.maxOffsetNanos()));
        }
        try {
            long interval = readPersistIntervalNanos(config, raw);
            if (interval != persistIntervalNanos) {
                persistIntervalNanos = interval;
                persistTask.cancel(false);
                schedulePersist();
            }
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; keeping persist.interval.ms={}", TimeConfig.PID, e.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(persistIntervalNanos));
        }
    }

    @Deactivate
    void deactivate() {
        persister.shutdownNow();
        try {
            persister.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LogicalTime lastIssued = clock.current();
        try {
            store.write(lastIssued, true);
            LOG.info("HLC stopped at {}; high-water mark saved to {}", lastIssued, store.file());
        } catch (IOException e) {
            LOG.error("Could not save the HLC high-water mark {} to {}: {}", lastIssued, store.file(), e.toString());
        }
    }

    static int readNodeId(TimeConfig config, Map<String, ?> raw) {
        int id = ConfigValues.read(raw, "node.id", config::node_id, "an integer");
        if (id < 0 || id > LogicalTime.MAX_NODE_ID) {
            throw new IllegalArgumentException("node.id=" + raw.get("node.id") + " is out of range 0.." + LogicalTime.MAX_NODE_ID);
        }
        return id;
    }

    static long readMaxOffsetNanos(TimeConfig config, Map<String, ?> raw) {
        long ms = ConfigValues.read(raw, "max.offset.ms", config::max_offset_ms, "an integer");
        if (ms < 0) {
            throw new IllegalArgumentException("max.offset.ms=" + raw.get("max.offset.ms") + " is negative");
        }
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    static long readPersistIntervalNanos(TimeConfig config, Map<String, ?> raw) {
        long ms = ConfigValues.read(raw, "persist.interval.ms", config::persist_interval_ms, "an integer");
        if (ms < 10 || ms > 60_000) {
            throw new IllegalArgumentException("persist.interval.ms=" + raw.get("persist.interval.ms") + " is out of range 10..60000");
        }
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    static Path stateDir(BundleContext bc, TimeConfig config) {
        String configured = config.state_dir();
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String karafData = bc.getProperty("karaf.data");
        if (karafData != null) {
            return Path.of(karafData, "chronofabric", "time");
        }
        File data = bc.getDataFile("");
        if (data != null) {
            return data.toPath();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "chronofabric", "time");
    }

    private void restore() {
        try {
            Optional<HlcStateStore.Stored> stored = store.read();
            if (stored.isEmpty()) {
                return;
            }
            HlcStateStore.Stored s = stored.get();
            clock.restore(s.time());
            long ahead = s.time().physical() - source.nowNanos();
            LOG.info("HLC restored {} high-water mark {} from {}", s.clean() ? "exact" : "ceiling (unclean stop)",
                    s.time(), store.file());
            if (ahead > clock.maxOffsetNanos()) {
                LOG.warn("The restored HLC high-water mark is {} ms ahead of the time source; timestamps keep "
                        + "their physical part there until the source catches up", TimeUnit.NANOSECONDS.toMillis(ahead));
            }
        } catch (IOException e) {
            LOG.error("Could not read the HLC high-water mark: {}; starting from the time source", e.getMessage());
        }
    }

    private void schedulePersist() {
        long interval = persistIntervalNanos;
        persistTask = persister.scheduleWithFixedDelay(this::persistCeiling, 0, interval, TimeUnit.NANOSECONDS);
    }

    /** Keeps the on-disk ceiling at least half its lead above the clock. */
    void persistCeiling() {
        long lead = 4 * persistIntervalNanos;
        LogicalTime cur = clock.current();
        long pt = source.nowNanos();
        long l = Math.max(cur.physical(), pt);
        if (ceilingPhysical >= 0 && l + lead / 2 < ceilingPhysical) {
            return;
        }
        long ceiling = l + lead;
        try {
            store.write(new LogicalTime(ceiling, 0, clock.nodeId()), false);
            ceilingPhysical = ceiling;
        } catch (IOException e) {
            LOG.warn("Could not write the HLC ceiling to {}: {}", store.file(), e.toString());
        }
    }

    @Override
    public LogicalTime now() {
        return clock.now();
    }

    @Override
    public LogicalTime now(long physicalNanos) {
        return clock.now(physicalNanos);
    }

    @Override
    public LogicalTime update(LogicalTime remote) {
        return clock.update(remote);
    }

    @Override
    public LogicalTime current() {
        return clock.current();
    }

    @Override
    public int nodeId() {
        return clock.nodeId();
    }

    @Override
    public long maxOffsetNanos() {
        return clock.maxOffsetNanos();
    }

    @Override
    public long refusedUpdates() {
        return clock.refusedUpdates();
    }

    @Override
    public HealthReport health() {
        long refused = clock.refusedUpdates();
        String summary = "node " + clock.nodeId() + ", source " + clock.source().kind() + ", refused " + refused;
        if (refused > 0) {
            return HealthReport.degraded(summary, List.of(refused + " remote timestamps refused; last: " + clock.lastRefusal()));
        }
        return HealthReport.up(summary);
    }

    @Override
    public String toString() {
        return "HlcClock[" + clock.current() + "]";
    }
}
