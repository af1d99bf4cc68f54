package io.chronofabric.ledger.internal;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.ledger.ConsistencyProof;
import io.chronofabric.api.ledger.InclusionProof;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.ledger.SignedTreeHead;
import io.chronofabric.api.ledger.VerificationReport;
import io.chronofabric.ledger.verify.Rfc6962;
import io.chronofabric.ledger.verify.TreeHeadVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger: entries in a {@link SegmentStore}, the Merkle tree over them in memory, signed tree
 * heads in a {@link HeadLog}. Appends are serialised; an append returns once the entry is durable
 * under the fsync policy. A ledger that found corruption when opening keeps serving what precedes
 * the first bad entry and refuses appends.
 */
public final class DurableLedger implements SecureImmutableLedger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableLedger.class);

    /** When appended data is forced to disk. */
    public enum Fsync {
        EVERY_APPEND, INTERVAL, OS;

        static Fsync parse(String text) {
            return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
                case "every-append" -> EVERY_APPEND;
                case "interval" -> INTERVAL;
                case "os" -> OS;
                default -> throw new IllegalArgumentException("fsync=" + text + " is not every-append, interval or os");
            };
        }
    }

    /** Where and how the ledger keeps its data. */
    public record Options(Path dir, Fsync fsync, long fsyncIntervalNanos, long segmentBytes, String keyPath,
            long headIntervalNanos) {
    }

    private final Options options;
    private final Supplier<LogicalTime> clock;
    private final SegmentStore store;
    private final MerkleTree tree = new MerkleTree();
    private final HeadLog headLog;
    private final List<SignedTreeHead> heads = new ArrayList<>();
    private final KeyPair keys;
    private final String recoveryReport;
    private final ScheduledExecutorService background;
    private volatile String corruption;
    private volatile long firstBad = -1;
    private boolean dirty;
    private boolean closed;

    private DurableLedger(Options options, Supplier<LogicalTime> clock, KeyPair keys) {
        this.options = options;
        this.clock = clock;
        this.keys = keys;
        this.store = new SegmentStore(options.dir().resolve("segments"), options.segmentBytes());
        this.headLog = new HeadLog(options.dir().resolve("heads.log"));
        String report;
        try {
            SegmentStore.Recovery r = store.open((data, index) -> tree.append(Rfc6962.leafHash(data)));
            report = r.torn();
            if (r.corrupt()) {
                markCorrupt(r.firstBad(), r.corruption());
            }
            for (SignedTreeHead h : headLog.open()) {
                heads.add(h);
                checkHead(h);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the ledger in " + options.dir() + ": " + e.getMessage(), e);
        }
        this.recoveryReport = report;
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chronofabric-ledger");
            t.setDaemon(true);
            return t;
        });
        if (options.fsync() == Fsync.INTERVAL) {
            background.scheduleWithFixedDelay(this::forceQuietly, options.fsyncIntervalNanos(), options.fsyncIntervalNanos(),
                    TimeUnit.NANOSECONDS);
        }
        if (options.headIntervalNanos() > 0) {
            background.scheduleWithFixedDelay(this::headIfChanged, options.headIntervalNanos(), options.headIntervalNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Opens (or creates) the ledger in {@code options.dir()}, recovering after a crash.
     *
     * @param clock HLC timestamps for signed tree heads
     */
    public static DurableLedger open(Options options, Supplier<LogicalTime> clock) throws IOException, GeneralSecurityException {
        KeyPair keys = KeyStore.loadOrCreate(options.dir(), options.keyPath());
        try {
            return new DurableLedger(options, clock, keys);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void checkHead(SignedTreeHead h) {
        if (!TreeHeadVerifier.verify(h, keys.getPublic())) {
            markCorrupt(Math.min(h.treeSize(), tree.size()), "the tree head signed at size " + h.treeSize() + " has a bad signature");
        } else if (h.treeSize() > tree.size()) {
            markCorrupt(tree.size(), "the tree head signed at size " + h.treeSize() + " covers entries up to " + (h.treeSize() - 1)
                    + " but only " + tree.size() + " entries are readable");
        } else if (!MessageDigest.isEqual(tree.root(h.treeSize()), h.rootHash())) {
            markCorrupt(firstMismatch(h.treeSize()), "the entries before " + h.treeSize() + " do not match the tree head signed at that size");
        }
    }

    /** The first entry whose prefix root disagrees with the stored heads (best effort: the smallest failing head size). */
    private long firstMismatch(long size) {
        long lo = 0;
        for (SignedTreeHead h : heads) {
            if (h.treeSize() < size && MessageDigest.isEqual(tree.root(h.treeSize()), h.rootHash())) {
                lo = Math.max(lo, h.treeSize());
            }
        }
        return lo;
    }

    private void markCorrupt(long index, String why) {
        if (firstBad < 0 || index < firstBad) {
            firstBad = index;
            corruption = why;
        }
    }

    /**
     * How many times entry data was forced to disk since the ledger was opened: with
     * {@link Fsync#EVERY_APPEND}, one per {@link #append} or {@link #appendBatch} call (however
     * many entries it holds), plus one per segment roll and per tree head.
     */
    public synchronized long fsyncCount() {
        return store.forces();
    }

    /** What recovery did when the ledger was opened (a torn record cut off), or null. */
    public String recoveryReport() {
        return recoveryReport;
    }

    /** Why appends are refused, or null when the ledger is healthy. */
    public String corruption() {
        return corruption == null ? null : "first bad entry " + firstBad + ": " + corruption;
    }

    public long firstBadEntry() {
        return firstBad;
    }

    private void checkWritable() {
        if (closed) {
            throw new IllegalStateException("The ledger is closed");
        }
        if (corruption != null) {
            throw new IllegalStateException("The ledger refuses appends because it is corrupt: " + corruption());
        }
    }

    @Override
    public long append(byte[] entry) {
        Objects.requireNonNull(entry, "entry");
        return appendBatch(List.of(entry));
    }

    /** Append counters and latency (from the call, so waiting for the lock and the fsync count). */
    private final AppendLatency latency = new AppendLatency();

    public io.chronofabric.api.ledger.LedgerStats stats() {
        return latency.snapshot(fsyncCount());
    }

    @Override
    public long appendBatch(List<byte[]> entries) {
        long start = System.nanoTime();
        long first = appendBatchLocked(entries);
        latency.record(entries.size(), System.nanoTime() - start);
        return first;
    }

    private synchronized long appendBatchLocked(List<byte[]> entries) {
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("appendBatch needs at least one entry");
        }
        checkWritable();
        List<byte[]> copies = new ArrayList<>(entries.size());
        for (byte[] e : entries) {
            copies.add(Objects.requireNonNull(e, "entry").clone());
        }
        long first;
        try {
            first = store.append(copies, options.fsync() == Fsync.EVERY_APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not append to the ledger in " + options.dir() + ": " + e.getMessage(), e);
        }
        for (byte[] e : copies) {
            tree.append(Rfc6962.leafHash(e));
        }
        dirty = true;
        return first;
    }

    @Override
    public synchronized long size() {
        return tree.size();
    }

    @Override
    public byte[] get(long index) {
        long size = size();
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("No ledger entry " + index + ": size is " + size);
        }
        try {
            return store.read(index);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read ledger entry " + index + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized byte[] rootHash() {
        return tree.root(tree.size());
    }

    @Override
    public synchronized byte[] rootHash(long treeSize) {
        checkSize(treeSize, "tree size");
        return tree.root(treeSize);
    }

    private void checkSize(long treeSize, String what) {
        if (treeSize < 0 || treeSize > tree.size()) {
            throw new IndexOutOfBoundsException("No " + what + " " + treeSize + ": the ledger has " + tree.size() + " entries");
        }
    }

    @Override
    public synchronized SignedTreeHead signedTreeHead() {
        long size = tree.size();
        if (!heads.isEmpty() && heads.get(heads.size() - 1).treeSize() == size && !dirty) {
            return heads.get(heads.size() - 1);
        }
        return signAndStore(size);
    }

    private SignedTreeHead signAndStore(long size) {
        byte[] root = tree.root(size);
        LogicalTime now = clock.get();
        SignedTreeHead unsigned = new SignedTreeHead(size, root, now, new byte[0]);
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(unsigned.signedBytes());
            SignedTreeHead head = new SignedTreeHead(size, root, now, s.sign());
            if (corruption == null && !closed) {
                store.force();
                headLog.append(head, true);
                heads.add(head);
            }
            dirty = false;
            return head;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a tree head with Ed25519: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the tree head at size " + size + ": " + e.getMessage(), e);
        }
    }

    private synchronized void headIfChanged() {
        try {
            if (dirty && !closed && corruption == null) {
                signAndStore(tree.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not sign the periodic tree head: {}", e.getMessage());
        }
    }

    private synchronized void forceQuietly() {
        try {
            if (!closed) {
                store.force();
            }
        } catch (IOException e) {
            LOG.warn("Could not fsync the ledger: {}", e.getMessage());
        }
    }

    @Override
    public synchronized InclusionProof inclusionProof(long leafIndex, long treeSize) {
        checkSize(treeSize, "tree size");
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IndexOutOfBoundsException("No ledger entry " + leafIndex + " in a tree of size " + treeSize);
        }
        return new InclusionProof(leafIndex, treeSize, tree.inclusionProof(leafIndex, treeSize));
    }

    @Override
    public synchronized ConsistencyProof consistencyProof(long oldSize, long newSize) {
        if (oldSize > newSize) {
            throw new IllegalArgumentException("Old size " + oldSize + " is larger than new size " + newSize);
        }
        checkSize(newSize, "tree size");
        if (oldSize < 0) {
            throw new IllegalArgumentException("Old size " + oldSize + " is negative");
        }
        return new ConsistencyProof(oldSize, newSize, tree.consistencyProof(oldSize, newSize));
    }

    /** The leaf hash of an entry (from memory). */
    public synchronized byte[] leafHash(long index) {
        checkSize(index + 1, "entry");
        return tree.leafHash(index);
    }

    @Override
    public synchronized VerificationReport verify() {
        long n = tree.size();
        for (long i = 0; i < n; i++) {
            byte[] data;
            try {
                data = store.read(i);
            } catch (IOException e) {
                return new VerificationReport(false, i, 0, i, "entry " + i + " cannot be read: " + e.getMessage());
            }
            if (!MessageDigest.isEqual(Rfc6962.leafHash(data), tree.leafHash(i))) {
                return new VerificationReport(false, i, 0, i, "entry " + i + " on disk differs from the entry the tree was built from");
            }
        }
        long checked = 0;
        for (SignedTreeHead h : heads) {
            if (!TreeHeadVerifier.verify(h, keys.getPublic())) {
                return new VerificationReport(false, n, checked, Math.min(h.treeSize(), n), "the tree head signed at size "
                        + h.treeSize() + " has a bad signature");
            }
            if (h.treeSize() > n) {
                return new VerificationReport(false, n, checked, n, "the tree head signed at size " + h.treeSize()
                        + " covers entries up to " + (h.treeSize() - 1) + " but only " + n + " entries are readable");
            }
            if (!MessageDigest.isEqual(tree.root(h.treeSize()), h.rootHash())) {
                return new VerificationReport(false, n, checked, firstMismatch(h.treeSize()), "the tree head signed at size "
                        + h.treeSize() + " does not match the entries");
            }
            checked++;
        }
        if (corruption != null) {
            return new VerificationReport(false, n, checked, firstBad, corruption());
        }
        return new VerificationReport(true, n, checked, -1, n + " entries and " + checked + " signed tree heads verified");
    }

    @Override
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    synchronized List<SignedTreeHead> heads() {
        return List.copyOf(heads);
    }

    Path dir() {
        return options.dir();
    }

    /** Signs a final head if entries were added since the last one, forces everything and closes. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        background.shutdownNow();
        try {
            if (dirty && corruption == null) {
                signAndStore(tree.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not sign the final tree head: {}", e.getMessage());
        }
        closed = true;
        try {
            store.close();
            headLog.close();
        } catch (IOException e) {
            LOG.warn("Could not close the ledger files cleanly: {}", e.getMessage());
        }
    }
}
