package io.chronofabric.ledger.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.InitializationException;
import io.chronofabric.api.ledger.ConsistencyProof;
import io.chronofabric.api.ledger.InclusionProof;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.ledger.SignedTreeHead;
import io.chronofabric.api.ledger.VerificationReport;
import io.chronofabric.api.time.HlcClock;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SecureImmutableLedger service: a {@link DurableLedger} in {@code ${karaf.data}/chronofabric/ledger}
 * (or the configured directory), tree heads stamped by the HlcClock. A configuration change that
 * alters the ledger's own keys reopens the ledger in place (the service stays registered; a call
 * racing the reopen fails with "The ledger is closed"); a change of the recorder's keys only
 * ({@code record.*}, shared PID) leaves it open.
 */
@Component(name = "io.chronofabric.ledger", configurationPid = LedgerConfig.PID, immediate = true, service = SecureImmutableLedger.class)
@Designate(ocd = LedgerConfig.class)
public final class LedgerComponent implements SecureImmutableLedger, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerComponent.class);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile HlcClock hlc;

    private volatile DurableLedger ledger;
    private DurableLedger.Options current;

    @Activate
    synchronized void activate(BundleContext bc, LedgerConfig config, Map<String, Object> raw) {
        DurableLedger.Options options = options(bc, config, raw);
        open(options);
    }

    /** Reopens the ledger only when one of its own keys changed. */
    @Modified
    synchronized void modified(BundleContext bc, LedgerConfig config, Map<String, Object> raw) {
        DurableLedger.Options options = options(bc, config, raw);
        if (options.equals(current)) {
            return;
        }
        LOG.info("Ledger configuration changed: reopening {}", options.dir());
        DurableLedger.Options previous = current;
        ledger.close();
        try {
            open(options);
        } catch (InitializationException e) {
            LOG.error("Refused configuration {}: {}; reopening the ledger as it was in {}", LedgerConfig.PID, e.getMessage(),
                    previous.dir());
            open(previous);
        }
    }

    private void open(DurableLedger.Options options) {
        try {
            ledger = DurableLedger.open(options, () -> hlc.now());
        } catch (Exception e) {
            throw new InitializationException("ledger", "cannot open " + options.dir() + ": " + e.getMessage(), e);
        }
        current = options;
        if (ledger.recoveryReport() != null) {
            LOG.warn("Ledger recovery in {}: {}", options.dir(), ledger.recoveryReport());
        }
        if (ledger.corruption() != null) {
            LOG.error("Ledger in {} is corrupt and refuses appends: {}", options.dir(), ledger.corruption());
        }
        LOG.info("Ledger open in {}: {} entries, fsync {}", options.dir(), ledger.size(), options.fsync());
    }

    static DurableLedger.Options options(BundleContext bc, LedgerConfig c, Map<String, ?> raw) {
        DurableLedger.Fsync fsync;
        try {
            fsync = DurableLedger.Fsync.parse(c.fsync());
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; using every-append", LedgerConfig.PID, e.getMessage());
            fsync = DurableLedger.Fsync.EVERY_APPEND;
        }
        long interval = c.fsync_interval_ms();
        if (interval < 1) {
            LOG.error("Refused configuration {}: fsync.interval.ms={} must be >= 1; using 50", LedgerConfig.PID, raw.get("fsync.interval.ms"));
            interval = 50;
        }
        long segment = c.segment_bytes();
        if (segment < 4096) {
            LOG.error("Refused configuration {}: segment.bytes={} is below 4096; using 64 MiB", LedgerConfig.PID, raw.get("segment.bytes"));
            segment = 64L * 1024 * 1024;
        }
        long head = c.head_interval_ms();
        if (head < 0) {
            LOG.error("Refused configuration {}: head.interval.ms={} is negative; using 1000", LedgerConfig.PID, raw.get("head.interval.ms"));
            head = 1000;
        }
        Path dir;
        if (c.dir() != null && !c.dir().isBlank()) {
            dir = Path.of(c.dir());
        } else if (bc.getProperty("karaf.data") != null) {
            dir = Path.of(bc.getProperty("karaf.data"), "chronofabric", "ledger");
        } else {
            dir = bc.getDataFile("ledger").toPath();
        }
        return new DurableLedger.Options(dir, fsync, TimeUnit.MILLISECONDS.toNanos(interval), segment, c.key_path(),
                TimeUnit.MILLISECONDS.toNanos(head));
    }

    @Deactivate
    synchronized void deactivate() {
        ledger.close();
        LOG.info("Ledger closed at {} entries", ledger.size());
    }

    @Override
    public long append(byte[] entry) {
        return ledger.append(entry);
    }

    @Override
    public long appendBatch(List<byte[]> entries) {
        return ledger.appendBatch(entries);
    }

    @Override
    public io.chronofabric.api.ledger.LedgerStats stats() {
        return ledger.stats();
    }

    @Override
    public long size() {
        return ledger.size();
    }

    @Override
    public byte[] get(long index) {
        return ledger.get(index);
    }

    @Override
    public byte[] rootHash() {
        return ledger.rootHash();
    }

    @Override
    public byte[] rootHash(long treeSize) {
        return ledger.rootHash(treeSize);
    }

    @Override
    public SignedTreeHead signedTreeHead() {
        return ledger.signedTreeHead();
    }

    @Override
    public InclusionProof inclusionProof(long leafIndex, long treeSize) {
        return ledger.inclusionProof(leafIndex, treeSize);
    }

    @Override
    public ConsistencyProof consistencyProof(long oldSize, long newSize) {
        return ledger.consistencyProof(oldSize, newSize);
    }

    @Override
    public VerificationReport verify() {
        return ledger.verify();
    }

    @Override
    public PublicKey publicKey() {
        return ledger.publicKey();
    }

    @Override
    public HealthReport health() {
        String c = ledger.corruption();
        String summary = ledger.size() + " entries";
        if (c != null) {
            return HealthReport.down(summary + ", refusing appends", List.of(c));
        }
        return ledger.recoveryReport() == null ? HealthReport.up(summary)
                : HealthReport.up(summary + " (recovered: " + ledger.recoveryReport() + ")");
    }
}
