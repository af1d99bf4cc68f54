package io.chronofabric.time.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * <p>Persistence ({@link HlcCeiling}): while running, a ceiling is kept on disk
 * {@code max(20 ms, min(4 x persist.interval.ms, max.offset.ms / 4))} ahead of the clock (125 ms
 * with the defaults) and every timestamp handed out is below a ceiling already durable; a clean
 * stop writes the exact last timestamp. After a crash the clock starts at the ceiling: above
 * everything issued before, and at most the lead ahead of the time source (plus any remote
 * timestamp's lead the clock had accepted).
 */
@Component(name = "io.chronofabric.time.hlc", configurationPid = TimeConfig.PID, immediate = true, service = HlcClock.class)
public final class HlcClockComponent implements HlcClock, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(HlcClockComponent.class);
    static final String STATE_FILE = "hlc.state";

    private volatile TimeSource source;
    private HlcClockImpl clock;
    private HlcStateStore store;
    private ScheduledExecutorService persister;
    private ScheduledFuture<?> persistTask;
    private HlcCeiling ceiling;
    private long persistIntervalNanos = TimeUnit.MILLISECONDS.toNanos(1000);

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
        long lead = HlcCeiling.lead(persistIntervalNanos, maxOffsetNanos);
        ceiling = new HlcCeiling(clock, store, lead, System::nanoTime);
        ceiling.start();
        persister = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chronofabric-hlc-persist");
            t.setDaemon(true);
            return t;
        });
        schedulePersist();
        LOG.info("HLC started: node {}, max offset {} ms, state {}, ceiling lead {} ms", nodeId,
                TimeUnit.NANOSECONDS.toMillis(maxOffsetNanos), store.file(), TimeUnit.NANOSECONDS.toMillis(lead));
        warnIfLeadNotInsideOffset(lead, maxOffsetNanos);
    }

    @Modified
    void modified(TimeConfig config, Map<String, Object> raw) {
        try {
            int before = clock.nodeId();
            int next = readNodeId(config, raw);
            clock.setNodeId(next);
            if (next != before) {
                LOG.warn("node.id changed from {} to {} at run time: timestamps and message ids from now on carry node {} "
                        + "(no other node of a cluster may use it)", before, next, next);
            }
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
            persistIntervalNanos = readPersistIntervalNanos(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; keeping persist.interval.ms={}", TimeConfig.PID, e.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(persistIntervalNanos));
        }
        long lead = HlcCeiling.lead(persistIntervalNanos, clock.maxOffsetNanos());
        if (lead != ceiling.leadNanos()) {
            ceiling.lead(lead);
            persistTask.cancel(false);
            schedulePersist();
            LOG.info("HLC ceiling lead now {} ms", TimeUnit.NANOSECONDS.toMillis(lead));
            warnIfLeadNotInsideOffset(lead, clock.maxOffsetNanos());
        }
    }

    private static void warnIfLeadNotInsideOffset(long lead, long maxOffsetNanos) {
        if (lead > maxOffsetNanos / 4) {
            LOG.warn("max.offset.ms={} is below 80: the HLC ceiling keeps its 20 ms minimum lead, so a clock restored "
                    + "after a crash may start {} ms ahead of the time source", TimeUnit.NANOSECONDS.toMillis(maxOffsetNanos),
                    TimeUnit.NANOSECONDS.toMillis(lead));
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
        try {
            LogicalTime lastIssued = ceiling.stop();
            LOG.info("HLC stopped at {}; high-water mark saved to {}", lastIssued, store.file());
        } catch (IOException e) {
            LOG.error("Could not save the HLC high-water mark {} to {}: {}; the last ceiling stays there",
                    clock.current(), store.file(), e.toString());
        }
    }

    /** For tests: stops the persister as a crash would, leaving the last ceiling on disk. */
    void haltWithoutSaving() {
        persister.shutdownNow();
    }

    HlcCeiling ceiling() {
        return ceiling;
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
            if (s.time().nodeId() != clock.nodeId()) {
                LOG.warn("The HLC state in {} was written by node {}, this clock is node {} (a copied data directory or a "
                        + "changed node.id?); its high-water mark is kept", store.file(), s.time().nodeId(), clock.nodeId());
            }
        } catch (IOException e) {
            LOG.error("Could not read the HLC high-water mark: {}; starting from the time source", e.getMessage());
        }
    }

    private void schedulePersist() {
        long period = HlcCeiling.checkPeriod(ceiling.leadNanos());
        persistTask = persister.scheduleWithFixedDelay(this::persistCeiling, period, period, TimeUnit.NANOSECONDS);
    }

    private void persistCeiling() {
        try {
            ceiling.tick();
        } catch (RuntimeException e) {
            LOG.warn("HLC ceiling step failed", e);
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
    public void nowInto(long physicalNanos, long[] out) {
        clock.nowInto(physicalNanos, out);
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
        long unprotected = ceiling.unprotected();
        String summary = "node " + clock.nodeId() + ", source " + clock.source().kind() + ", refused " + refused
                + ", crash ceiling " + TimeUnit.NANOSECONDS.toMillis(ceiling.leadNanos()) + " ms ahead";
        List<String> problems = new ArrayList<>();
        if (refused > 0) {
            problems.add(refused + " remote timestamps refused; last: " + clock.lastRefusal());
        }
        long lead = clock.current().physical() - source.nowNanos();
        if (lead > clock.maxOffsetNanos()) {
            problems.add("the clock runs " + TimeUnit.NANOSECONDS.toMillis(lead) + " ms ahead of its time source (more than "
                    + "max.offset.ms = " + TimeUnit.NANOSECONDS.toMillis(clock.maxOffsetNanos()) + "): a restored high-water "
                    + "mark or an accepted remote timestamp; other nodes may refuse its timestamps until the source catches up");
        }
        if (unprotected > 0) {
            problems.add(unprotected + " timestamps were handed out above the persisted ceiling because it could not "
                    + "be written to " + store.file() + " (" + ceiling.lastFailure() + "); after a crash they could repeat");
        }
        return problems.isEmpty() ? HealthReport.up(summary) : HealthReport.degraded(summary, problems);
    }

    @Override
    public String toString() {
        return "HlcClock[" + clock.current() + "]";
    }
}
