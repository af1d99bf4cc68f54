package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeliveryGuarantee;
import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.core.SerializationException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.time.QuantumOffset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter log on disk, independent of OSGi.
 *
 * <p><b>Files.</b> In one directory: {@code segment-<serial, 12 digits>.dlq} files, written
 * append-only, oldest serial first, and a {@code .lock} file held while open. A segment starts
 * with a 28-byte header {@code [magic "CFDL"][format 1][serial: 8][first sequence: 8][CRC32C of
 * the 24 bytes before: 4]} followed by records {@code [length: 4][CRC32C of length and data: 4]
 * [data]}. The data's first two bytes are the record type (1 = entry, 2 = replayed marker) and
 * its format (1). All numbers big-endian.
 *
 * <p><b>Recovery.</b> {@link #open} scans every segment. A record that does not check out is
 * skipped up to the next record that does (found by its length, type and CRC); when none follows
 * in the newest segment, it was a write cut short by a crash (a torn tail) and is cut off. Both
 * are reported ({@link #recoveryReport()}). A segment whose header is unreadable is renamed to
 * {@code *.corrupt} and reported. The next sequence continues after the highest one seen.
 *
 * <p><b>Bounds.</b> Segments roll at an eighth of the entry and byte bounds; when either bound
 * is passed the oldest segments are deleted (whole) and counted as evicted.
 *
 * <p><b>Late records.</b> A writer that does not hold the lock (a component whose log was closed
 * while a bus of an older bundle revision still records, e.g. during a bundle update when the
 * new revision's log already holds the directory) writes each dead letter to a side file of its
 * own with {@link #recordLate}: {@code late/late-<nanoTime, hex>-<random, hex>.dlq}, written
 * under a {@code .tmp} name, forced, then renamed (so a {@code .dlq} side file is always
 * complete) and the {@code late/} directory forced. A side file is a segment header (serial 0,
 * first sequence -1) and one entry record whose sequence is the placeholder
 * {@link #LATE_SEQUENCE}. The live log imports side files at {@link #open} and at each
 * {@link #importLate} (the component calls it every second): it renames the file to
 * {@code .importing}, appends its entries with fresh sequences (the same bounds and eviction
 * apply; the recorded-at time stays the original), forces the segment, then deletes the file.
 * A side file holding a torn or corrupt part gets its good entries imported and is renamed to
 * {@code .corrupt}; that is reported ({@link #recoveryReport()} at open, {@link #lateProblem()}
 * later) and does not stop the other files. A {@code .tmp} file older than
 * {@link #ABANDONED_TMP_NANOS} was left by a writer that died and is imported the same way.
 * <br>Idempotence: an {@code .importing} file found at the start of an import pass was being
 * imported when the process died (or when a write failed). Its entries are skipped when an
 * entry with identical bytes (all but the sequence: the recorded-at nanos, message id, reason,
 * payload...) is in one of the two newest segments, so a crash between append and delete
 * imports nothing twice; the window left is an eviction or {@link #clear} of those segments
 * in between, after which the entry is imported again (at least once, never lost).
 *
 * <p><b>Threads.</b> Every method is thread-safe; one lock guards the files and the index (the
 * log is off the bus's hot path). Replay publishes outside the lock.
 */
final class DeadLetterStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);

    /** When {@link #record} forces the file to disk. */
    enum Fsync {
        /** At most every fsync interval (by {@link #syncIfDue}) and at close. */
        PERIODIC("periodic"),
        /** After every record, before {@link #record} returns. */
        EVERY_APPEND("every-append");

        final String key;

        Fsync(String key) {
            this.key = key;
        }

        /** @throws IllegalArgumentException naming the text and the accepted values */
        static Fsync parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            for (Fsync f : values()) {
                if (f.key.equals(t)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("fsync '" + text + "' is not one of periodic, every-append");
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /**
     * @param dir                the log's directory (created if absent)
     * @param maxEntries         entries held at most, at least 1
     * @param maxBytes           bytes of segment files at most, at least {@link #MIN_MAX_BYTES}
     * @param fsync              fsync policy
     * @param fsyncIntervalNanos least time between two periodic forces, at least 1 ms
     * @param liveEntries        original payload objects kept in memory for replay, at least 0
     * @param maxPayloadBytes    larger payload encodings are kept as text only (not replayable
     *                           after a restart), 0 to {@link #MAX_PAYLOAD_BYTES}
     */
    record Options(Path dir, long maxEntries, long maxBytes, Fsync fsync, long fsyncIntervalNanos, int liveEntries,
            int maxPayloadBytes) {

        Options {
            if (dir == null || fsync == null) {
                throw new NullPointerException("dir and fsync must not be null");
            }
            if (maxEntries < 1) {
                throw new IllegalArgumentException("max.entries " + maxEntries + " must be at least 1");
            }
            if (maxBytes < MIN_MAX_BYTES) {
                throw new IllegalArgumentException("max.bytes " + maxBytes + " must be at least " + MIN_MAX_BYTES);
            }
            if (fsyncIntervalNanos < TimeUnit.MILLISECONDS.toNanos(1)) {
                throw new IllegalArgumentException("fsync.interval.ms " + TimeUnit.NANOSECONDS.toMillis(fsyncIntervalNanos)
                        + " must be at least 1");
            }
            if (liveEntries < 0) {
                throw new IllegalArgumentException("live.entries " + liveEntries + " must not be negative");
            }
            if (maxPayloadBytes < 0 || maxPayloadBytes > MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("max.payload.bytes " + maxPayloadBytes + " is out of range 0.." + MAX_PAYLOAD_BYTES);
            }
        }

        static Options defaults(Path dir) {
            return new Options(dir, 100_000, 64L * 1024 * 1024, Fsync.PERIODIC, TimeUnit.SECONDS.toNanos(1), 10_000, 1024 * 1024);
        }

        long segmentEntries() {
            return Math.max(1, (maxEntries + 7) / 8);
        }

        long segmentBytes() {
            return Math.max(4096, maxBytes / 8);
        }

        /** Payload bytes stored at most: the configured limit, and never more than a quarter of the byte bound. */
        int payloadLimit() {
            return (int) Math.min(maxPayloadBytes, maxBytes / 4);
        }
    }

    /** Loads payload classes at replay. */
    @FunctionalInterface
    interface ClassResolver {
        Class<?> load(String name) throws ClassNotFoundException;
    }

    static final long MIN_MAX_BYTES = 64 * 1024;
    static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
    static final int TEXT_LIMIT = 4096;

    static final int MAGIC = 0x4346444C; // "CFDL"
    static final int FORMAT = 1;
    static final int SEGMENT_HEADER = 28;
    static final int FRAME = 8;
    static final byte ENTRY = 1;
    static final byte REPLAYED = 2;
    // fixed offsets in an entry's data: type, format, sequence, recorded at, flags
    static final int SEQUENCE_AT = 2;
    static final int FLAGS_AT = 18;
    static final int ENTRY_FIXED = 19;
    static final int REPLAYED_LENGTH = 2 + 8 + 8 + 8;
    static final int MAX_DATA = MAX_PAYLOAD_BYTES + 1024 * 1024;
    static final byte FLAG_TEXT_ONLY = 1;

    // payload encodings
    static final byte P_TEXT = 0;
    static final byte P_STRING = 1;
    static final byte P_BYTES = 2;
    static final byte P_BOOLEAN = 3;
    static final byte P_BYTE = 4;
    static final byte P_SHORT = 5;
    static final byte P_CHAR = 6;
    static final byte P_INT = 7;
    static final byte P_LONG = 8;
    static final byte P_FLOAT = 9;
    static final byte P_DOUBLE = 10;
    static final byte P_SERIALIZED = 11;

    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".dlq";

    /** The subdirectory of side files written without the lock. */
    static final String LATE_DIR = "late";
    static final String LATE_PREFIX = "late-";
    static final String IMPORTING = ".importing";
    static final String TMP = ".tmp";
    static final String CORRUPT = ".corrupt";
    /** The sequence in a side file's entry: none yet, the importer assigns it. */
    static final long LATE_SEQUENCE = -1;
    /** A side file still named .tmp after this long was left by a writer that died. */
    static final long ABANDONED_TMP_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final HexFormat HEX = HexFormat.of();

    private static final class Segment {
        final long serial;
        final long firstSequence;
        final Path path;
        final FileChannel channel;
        long bytes;
        int count;
        int textOnly;
        long[] sequences = new long[16];
        long[] positions = new long[16];

        Segment(long serial, long firstSequence, Path path, FileChannel channel) {
            this.serial = serial;
            this.firstSequence = firstSequence;
            this.path = path;
            this.channel = channel;
        }

        void add(long sequence, long position, boolean text) {
            if (count == sequences.length) {
                sequences = Arrays.copyOf(sequences, count * 2);
                positions = Arrays.copyOf(positions, count * 2);
            }
            sequences[count] = sequence;
            positions[count] = position;
            count++;
            if (text) {
                textOnly++;
            }
        }

        /** Index of {@code sequence} here, or a negative number. */
        int indexOf(long sequence) {
            return count == 0 ? -1 : Arrays.binarySearch(sequences, 0, count, sequence);
        }

        boolean holds(long sequence) {
            return count > 0 && sequence >= sequences[0] && sequence <= sequences[count - 1];
        }
    }

    private record Mark(int count, long atNanos, long newMessageId) {
    }

    /** An entry as stored, decoded. */
    private record Stored(long sequence, long recordedAt, boolean textOnly, long messageId, LogicalTime time,
            String channel, String payloadType, String payloadText, int source, long sourceTask, int sizeHint,
            Priority priority, DeliveryOptions delivery, long targetMask, double phase, float coherence,
            QuantumOffset quantumOffset, String reason, String subscription, String cause, String notRestorable,
            byte encoding, byte[] payload) {
    }

    private final Object lock = new Object();
    private final Path dir;
    private final LongSupplier clock;
    private final ClassResolver resolver;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final List<Segment> segments = new ArrayList<>();
    private final Map<Long, Mark> marks = new HashMap<>();
    private final Set<Long> replaying = new HashSet<>();
    private final LinkedHashMap<Long, Object> live = new LinkedHashMap<>();
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private volatile Options options;
    private String recoveryReport;
    private long nextSequence;
    private long nextSerial;
    private long entries;
    private long bytes;
    private long textOnly;
    private long evicted;
    private long writeFailures;
    private volatile String lastWriteError;
    private volatile boolean lastWriteFailed;
    private boolean rollBeforeNextWrite;
    private boolean dirty;
    private long lastSyncNanos = System.nanoTime();
    private boolean closed;
    private long lateImported;
    private long lateCorrupt;
    private volatile String lateProblem;

    private DeadLetterStore(Options options, LongSupplier clock, ClassResolver resolver, FileChannel lockChannel, FileLock fileLock) {
        this.options = options;
        this.dir = options.dir();
        this.clock = clock;
        this.resolver = resolver;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
    }

    /**
     * Opens (creating if needed) the log in {@code options.dir()} and recovers it.
     *
     * @param clock    time-source nanoseconds since the epoch, for the recorded-at times
     * @param resolver loads payload classes when a serialized payload is restored
     * @throws IOException if the directory cannot be used, or another process holds it
     */
    static DeadLetterStore open(Options options, LongSupplier clock, ClassResolver resolver) throws IOException {
        Files.createDirectories(options.dir());
        FileChannel lockChannel = FileChannel.open(options.dir().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock fileLock;
        try {
            fileLock = lockChannel.tryLock();
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw new IOException("cannot lock " + options.dir() + ": " + e, e);
        }
        if (fileLock == null) {
            lockChannel.close();
            throw new IOException(options.dir() + " is in use by another process (its .lock file is held)");
        }
        DeadLetterStore store = new DeadLetterStore(options, clock, resolver, lockChannel, fileLock);
        try {
            synchronized (store.lock) {
                List<String> findings = new ArrayList<>();
                store.recover(findings);
                store.enforceBounds();
                store.importLateLocked(findings);
                store.recoveryReport = findings.isEmpty() ? null : String.join("; ", findings);
            }
            return store;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    Options options() {
        return options;
    }

    /** What recovery at open found (torn tail, skipped records), or null when all was well. */
    String recoveryReport() {
        synchronized (lock) {
            return recoveryReport;
        }
    }

    /** Applies new bounds, fsync policy and live-object count; the directory stays. */
    void reconfigure(Options next) {
        if (!next.dir().equals(dir)) {
            throw new IllegalArgumentException("The directory of an open log cannot change (" + dir + " to " + next.dir() + ")");
        }
        synchronized (lock) {
            boolean wasPeriodic = options.fsync() == Fsync.PERIODIC;
            options = next;
            trimLive();
            enforceBounds();
            if (wasPeriodic && next.fsync() == Fsync.EVERY_APPEND) {
                forceActive();
            }
        }
    }

    // ------------------------------------------------------------------ recovery

    private void recover(List<String> findings) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
            }).sorted().toList();
        }
        long highest = -1;
        long headerNext = 0;
        long serial = 0;
        for (int f = 0; f < files.size(); f++) {
            Path path = files.get(f);
            boolean newest = f == files.size() - 1;
            byte[] content = Files.readAllBytes(path);
            ByteBuffer buf = ByteBuffer.wrap(content);
            String headerProblem = checkHeader(buf);
            if (headerProblem != null) {
                if (newest && content.length < SEGMENT_HEADER) {
                    // created by a roll that a crash interrupted: it holds no record
                    Files.delete(path);
                    findings.add("deleted " + path.getFileName() + " (a segment header of " + content.length
                            + " bytes, cut short by a crash)");
                } else {
                    Path aside = path.resolveSibling(path.getFileName() + ".corrupt");
                    Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
                    findings.add(path.getFileName() + " " + headerProblem + "; renamed to " + aside.getFileName()
                            + " and skipped (its entries are lost)");
                    LOG.error("Dead-letter segment {} {}; renamed to {}", path, headerProblem, aside.getFileName());
                }
                continue;
            }
            long segSerial = buf.getLong(8);
            long segFirst = buf.getLong(16);
            serial = Math.max(serial, segSerial);
            headerNext = Math.max(headerNext, segFirst);
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment seg = new Segment(segSerial, segFirst, path, ch);
            segments.add(seg);
            int pos = SEGMENT_HEADER;
            int end = content.length;
            while (pos < end) {
                int length = validRecordAt(buf, pos, end);
                if (length < 0) {
                    int next = resync(buf, pos + 1, end);
                    if (next < 0) {
                        if (newest) {
                            ch.truncate(pos);
                            ch.force(true);
                            findings.add("a torn record (" + (end - pos) + " bytes at the end of " + path.getFileName()
                                    + ", after sequence " + highest + ") was cut off");
                            LOG.warn("Dead-letter log {}: a torn record ({} bytes at the end of {}) was cut off", dir, end - pos,
                                    path.getFileName());
                        } else {
                            findings.add("skipped " + (end - pos) + " unreadable bytes at the end of " + path.getFileName()
                                    + " (after sequence " + highest + ")");
                            LOG.error("Dead-letter log {}: {} unreadable bytes at the end of {} skipped", dir, end - pos,
                                    path.getFileName());
                        }
                        end = pos;
                        break;
                    }
                    findings.add("skipped a corrupt record (" + (next - pos) + " bytes at byte " + pos + " of "
                            + path.getFileName() + ", after sequence " + highest + ")");
                    LOG.error("Dead-letter log {}: a corrupt record ({} bytes at byte {} of {}) was skipped", dir, next - pos, pos,
                            path.getFileName());
                    pos = next;
                    continue;
                }
                int data = pos + FRAME;
                byte type = buf.get(data);
                if (type == ENTRY) {
                    long sequence = buf.getLong(data + SEQUENCE_AT);
                    if (sequence <= highest) {
                        findings.add("ignored an entry with sequence " + sequence + " after sequence " + highest + " in "
                                + path.getFileName());
                    } else {
                        highest = sequence;
                        boolean text = (buf.get(data + FLAGS_AT) & FLAG_TEXT_ONLY) != 0;
                        seg.add(sequence, pos, text);
                    }
                } else {
                    long target = buf.getLong(data + 2);
                    long at = buf.getLong(data + 10);
                    long newId = buf.getLong(data + 18);
                    Mark old = marks.get(target);
                    marks.put(target, new Mark(old == null ? 1 : old.count() + 1, at, newId));
                }
                pos += FRAME + length;
            }
            seg.bytes = end;
        }
        for (Segment s : segments) {
            entries += s.count;
            bytes += s.bytes;
            textOnly += s.textOnly;
        }
        marks.keySet().removeIf(seq -> locate(seq) == null);
        nextSerial = serial + 1;
        nextSequence = Math.max(highest + 1, headerNext);
        if (segments.isEmpty()) {
            roll();
        }
    }

    private static String checkHeader(ByteBuffer buf) {
        if (buf.capacity() < SEGMENT_HEADER) {
            return "has a header of " + buf.capacity() + " bytes (" + SEGMENT_HEADER + " expected)";
        }
        if (buf.getInt(0) != MAGIC) {
            return "is not a dead-letter segment (magic " + Integer.toHexString(buf.getInt(0)) + ")";
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, SEGMENT_HEADER - 4);
        if ((int) crc.getValue() != buf.getInt(SEGMENT_HEADER - 4)) {
            return "fails its header CRC check";
        }
        if (buf.getInt(4) != FORMAT) {
            return "has format " + buf.getInt(4) + " (this version reads " + FORMAT + ")";
        }
        return null;
    }

    /** The data length of a good record at {@code pos}, or -1. */
    private static int validRecordAt(ByteBuffer buf, int pos, int end) {
        if (end - pos < FRAME) {
            return -1;
        }
        int length = buf.getInt(pos);
        if (length < REPLAYED_LENGTH || length > MAX_DATA || (long) pos + FRAME + length > end) {
            return -1;
        }
        int data = pos + FRAME;
        byte type = buf.get(data);
        if (buf.get(data + 1) != FORMAT) {
            return -1;
        }
        if (type == ENTRY ? length < ENTRY_FIXED : type != REPLAYED || length != REPLAYED_LENGTH) {
            return -1;
        }
        return crc(length, buf.array(), data) == buf.getInt(pos + 4) ? length : -1;
    }

    private static int resync(ByteBuffer buf, int from, int end) {
        for (int p = from; p <= end - FRAME; p++) {
            if (validRecordAt(buf, p, end) >= 0) {
                return p;
            }
        }
        return -1;
    }

    static int crc(int length, byte[] data, int offset) {
        CRC32C c = new CRC32C();
        c.update(length >>> 24);
        c.update(length >>> 16);
        c.update(length >>> 8);
        c.update(length);
        c.update(data, offset, length);
        return (int) c.getValue();
    }

    // ------------------------------------------------------------------ writing

    /**
     * Records a dead letter; written to the file before this returns. Never throws.
     *
     * @return the entry's sequence, or {@link DeadLetterSink#NOT_RECORDED}
     */
    long record(PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause) {
        try {
            Options o = options;
            byte[] data = encodeEntry(packet, reason, subscriber, cause, clock.getAsLong(), o.payloadLimit());
            synchronized (lock) {
                if (closed) {
                    warnings.warn("Dead-letter log " + dir + " is closed; not recorded: " + describe(packet, reason), null);
                    return DeadLetterSink.NOT_RECORDED;
                }
                long sequence = nextSequence;
                ByteBuffer.wrap(data).putLong(SEQUENCE_AT, sequence);
                Segment seg = activeFor(data.length);
                long pos = write(seg, data);
                nextSequence = sequence + 1;
                boolean text = (data[FLAGS_AT] & FLAG_TEXT_ONLY) != 0;
                seg.add(sequence, pos, text);
                entries++;
                if (text) {
                    textOnly++;
                }
                if (o.liveEntries() > 0 && packet != null && packet.payload() != null) {
                    live.put(sequence, packet.payload());
                    trimLive();
                }
                enforceBounds();
                return sequence;
            }
        } catch (IOException | RuntimeException | LinkageError | OutOfMemoryError e) {
            noteWriteFailure(e);
            warnings.warn("Dead-letter log " + dir + " could not record " + describe(packet, reason) + ": " + e, null);
            return DeadLetterSink.NOT_RECORDED;
        }
    }

    private static String describe(PhasePacket<?> packet, String reason) {
        try {
            return (packet == null ? "no packet" : "message " + (packet.isStamped() ? packet.messageId() : "(unstamped)")) + " (" + reason + ")";
        } catch (RuntimeException e) {
            return "a packet (" + reason + ")";
        }
    }

    /** Lock held. */
    private Segment activeFor(int dataLength) throws IOException {
        Segment seg = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        Options o = options;
        if (seg == null || rollBeforeNextWrite || seg.count >= o.segmentEntries()
                || seg.bytes > SEGMENT_HEADER && seg.bytes + FRAME + dataLength > o.segmentBytes()) {
            seg = roll();
        }
        return seg;
    }

    /** Writes one record at the end of {@code seg}; lock held. Returns its position. */
    private long write(Segment seg, byte[] data) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(FRAME + data.length);
        frame.putInt(data.length).putInt(crc(data.length, data, 0)).put(data).flip();
        long pos = seg.bytes;
        try {
            while (frame.hasRemaining()) {
                seg.channel.write(frame, pos + frame.position());
            }
        } catch (IOException e) {
            try {
                seg.channel.truncate(pos);
            } catch (IOException | RuntimeException t) {
                // the segment may end in a partial record: recovery skips it; write on in a new one
                rollBeforeNextWrite = true;
            }
            throw e;
        }
        seg.bytes = pos + frame.limit();
        bytes += frame.limit();
        lastWriteFailed = false;
        if (options.fsync() == Fsync.EVERY_APPEND) {
            try {
                seg.channel.force(false);
            } catch (IOException e) {
                // the bytes are written (a process crash loses nothing); the disk may not hold them
                noteWriteFailure(e);
                warnings.warn("Dead-letter log " + dir + " cannot fsync " + seg.path.getFileName() + ": " + e, null);
            }
        } else {
            dirty = true;
        }
        return pos;
    }

    /** Starts a new segment; lock held. */
    private Segment roll() throws IOException {
        Segment prev = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (prev != null) {
            try {
                prev.channel.force(true);
            } catch (IOException e) {
                noteWriteFailure(e);
            }
        }
        long serial = nextSerial;
        Path path = dir.resolve(String.format("%s%012d%s", PREFIX, serial, SUFFIX));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER);
            header.putInt(MAGIC).putInt(FORMAT).putLong(serial).putLong(nextSequence);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, SEGMENT_HEADER - 4);
            header.putInt((int) crc.getValue()).flip();
            while (header.hasRemaining()) {
                ch.write(header, header.position());
            }
            ch.force(true);
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
        nextSerial = serial + 1;
        forceDirectory();
        Segment s = new Segment(serial, nextSequence, path, ch);
        s.bytes = SEGMENT_HEADER;
        segments.add(s);
        bytes += SEGMENT_HEADER;
        rollBeforeNextWrite = false;
        return s;
    }

    private void forceDirectory() {
        forceDirectory(dir);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can fsync a directory
        }
    }

    /** Deletes the oldest segments while a bound is passed; lock held. Never throws. */
    private void enforceBounds() {
        Options o = options;
        long before = evicted;
        try {
            while ((entries > o.maxEntries() || bytes > o.maxBytes()) && !segments.isEmpty()) {
                Segment active = segments.get(segments.size() - 1);
                if (segments.size() == 1) {
                    if (active.count == 0) {
                        return;
                    }
                    roll();
                }
                Segment oldest = segments.remove(0);
                delete(oldest);
                evicted += oldest.count;
                if (oldest.count > 0) {
                    LOG.debug("Dead-letter log {}: evicted {} oldest entries ({} to {})", dir, oldest.count, oldest.sequences[0],
                            oldest.sequences[oldest.count - 1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            noteWriteFailure(e);
            warnings.warn("Dead-letter log " + dir + " cannot evict old segments: " + e, null);
        }
        if (evicted != before) {
            forgetBefore(firstSequenceLocked());
        }
    }

    private void delete(Segment seg) throws IOException {
        entries -= seg.count;
        bytes -= seg.bytes;
        textOnly -= seg.textOnly;
        try {
            seg.channel.close();
        } finally {
            Files.deleteIfExists(seg.path);
        }
    }

    private void forgetBefore(long first) {
        marks.keySet().removeIf(seq -> seq < first);
        Iterator<Long> it = live.keySet().iterator();
        while (it.hasNext() && it.next() < first) {
            it.remove();
        }
    }

    private void trimLive() {
        int max = options.liveEntries();
        Iterator<Long> it = live.keySet().iterator();
        while (live.size() > max && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private void noteWriteFailure(Throwable e) {
        synchronized (lock) {
            writeFailures++;
        }
        lastWriteError = e.toString();
        lastWriteFailed = true;
    }

    /** Forces the newest segment if periodic fsync is due; called by a timer. Never throws. */
    void syncIfDue() {
        FileChannel ch;
        synchronized (lock) {
            long now = System.nanoTime();
            if (closed || !dirty || now - lastSyncNanos < options.fsyncIntervalNanos()) {
                return;
            }
            dirty = false;
            lastSyncNanos = now;
            ch = segments.get(segments.size() - 1).channel;
        }
        try {
            ch.force(false);
        } catch (java.nio.channels.ClosedChannelException e) {
            // rolled or evicted meanwhile: a roll forces the previous segment itself
        } catch (IOException | RuntimeException e) {
            noteWriteFailure(e);
            warnings.warn("Dead-letter log " + dir + " cannot fsync: " + e, null);
        }
    }

    /** Lock held. */
    private void forceActive() {
        if (!segments.isEmpty()) {
            try {
                segments.get(segments.size() - 1).channel.force(false);
                dirty = false;
            } catch (IOException e) {
                noteWriteFailure(e);
            }
        }
    }

    /** Removes every entry; sequences continue. Returns how many were removed. */
    long clear() {
        synchronized (lock) {
            requireOpen();
            long removed = entries;
            try {
                Segment active = segments.get(segments.size() - 1);
                if (active.bytes > SEGMENT_HEADER || active.count > 0) {
                    roll();
                }
                while (segments.size() > 1) {
                    delete(segments.remove(0));
                }
            } catch (IOException e) {
                noteWriteFailure(e);
                throw new IllegalStateException("Dead-letter log " + dir + " could not be cleared: " + e, e);
            }
            marks.clear();
            live.clear();
            LOG.info("Dead-letter log {} cleared: {} entries removed; the next sequence is {}", dir, removed, nextSequence);
            return removed;
        }
    }


    // ------------------------------------------------------------------ late records

    /**
     * Writes a dead letter to a side file in {@code options.dir()/late/} without the directory
     * lock, for a writer whose log is closed (see the class comment); a live log imports it.
     * Encoded exactly as {@link #record} encodes it. Slow (a file, two forces, a rename per
     * record), and only used after a log stopped. Never throws.
     *
     * @param clock time-source nanoseconds since the epoch, for the recorded-at time
     * @return {@link DeadLetterSink#RECORDED_LATE} once the side file is complete and forced,
     *         else {@link DeadLetterSink#NOT_RECORDED} (the failure is logged)
     */
    static long recordLate(Options options, PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause,
            LongSupplier clock) {
        try {
            Path file = writeLate(options, packet, reason, subscriber, cause, clock.getAsLong());
            LOG.info("Dead-letter log {} is closed: {} written to side file {}; the live log imports it", options.dir(),
                    describe(packet, reason), file.getFileName());
            return DeadLetterSink.RECORDED_LATE;
        } catch (IOException | RuntimeException | LinkageError | OutOfMemoryError e) {
            LOG.error("Dead-letter log {} is closed and {} could not be written to a side file in {}: {}", options.dir(),
                    describe(packet, reason), options.dir().resolve(LATE_DIR), e.toString());
            return DeadLetterSink.NOT_RECORDED;
        }
    }

    /** {@link #recordLate}'s work; returns the side file. */
    static Path writeLate(Options options, PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause,
            long recordedAt) throws IOException {
        byte[] data = encodeEntry(packet, reason, subscriber, cause, recordedAt, options.payloadLimit());
        ByteBuffer.wrap(data).putLong(SEQUENCE_AT, LATE_SEQUENCE);
        Path lateDir = options.dir().resolve(LATE_DIR);
        if (!Files.isDirectory(lateDir)) {
            Files.createDirectories(lateDir);
            forceDirectory(options.dir());
        }
        ByteBuffer content = ByteBuffer.allocate(SEGMENT_HEADER + FRAME + data.length);
        content.putInt(MAGIC).putInt(FORMAT).putLong(0).putLong(LATE_SEQUENCE);
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(content.array(), 0, SEGMENT_HEADER - 4);
        content.putInt((int) headerCrc.getValue());
        content.putInt(data.length).putInt(crc(data.length, data, 0)).put(data).flip();
        String name = String.format("%s%016x-%016x%s", LATE_PREFIX, System.nanoTime(),
                java.util.concurrent.ThreadLocalRandom.current().nextLong(), SUFFIX);
        Path tmp = lateDir.resolve(name + TMP);
        Path file = lateDir.resolve(name);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (content.hasRemaining()) {
                ch.write(content);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        forceDirectory(lateDir);
        return file;
    }

    /**
     * Imports the side files in {@code late/} (see the class comment); called periodically.
     * Never throws; problems show in {@link #lateProblem()} and the write-failure counters.
     *
     * @return the entries imported by this call
     */
    long importLate() {
        synchronized (lock) {
            if (closed) {
                return 0;
            }
            long before = lateImported;
            List<String> findings = new ArrayList<>();
            importLateLocked(findings);
            return lateImported - before;
        }
    }

    /** Entries imported from side files since open. */
    long lateImported() {
        synchronized (lock) {
            return lateImported;
        }
    }

    /** Side files renamed to .corrupt since open. */
    long lateCorrupt() {
        synchronized (lock) {
            return lateCorrupt;
        }
    }

    /** The latest problem with a side file (corrupt, or not importable), or null. */
    String lateProblem() {
        return lateProblem;
    }

    /** Lock held; adds problems to {@code findings}. Never throws. */
    private void importLateLocked(List<String> findings) {
        Path lateDir = dir.resolve(LATE_DIR);
        if (!Files.isDirectory(lateDir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(lateDir)) {
            files = list.filter(p -> p.getFileName().toString().startsWith(LATE_PREFIX)).sorted().toList();
        } catch (IOException | RuntimeException e) {
            problem(findings, "cannot list the side files in " + lateDir + ": " + e);
            return;
        }
        long now = System.currentTimeMillis();
        for (Path f : files) {
            String n = f.getFileName().toString();
            try {
                if (n.endsWith(SUFFIX)) {
                    Path importing = f.resolveSibling(n + IMPORTING);
                    Files.move(f, importing, StandardCopyOption.ATOMIC_MOVE);
                    importSideFile(importing, n, false, false, findings);
                } else if (n.endsWith(IMPORTING)) {
                    importSideFile(f, n.substring(0, n.length() - IMPORTING.length()), true, false, findings);
                } else if (n.endsWith(TMP)
                        && now - Files.getLastModifiedTime(f).toMillis() > TimeUnit.NANOSECONDS.toMillis(ABANDONED_TMP_NANOS)) {
                    importSideFile(f, n.substring(0, n.length() - TMP.length()), true, true, findings);
                }
            } catch (IOException | RuntimeException e) {
                noteWriteFailure(e);
                problem(findings, "side file " + n + " could not be imported (it stays and is tried again): " + e);
                return; // a write failure (disk full?): stop this pass; the next one tries again
            }
        }
    }

    /**
     * Imports one side file (renamed {@code .importing} or an abandoned {@code .tmp}), then
     * deletes it, or renames it to {@code name.corrupt} when part of it is unreadable. Lock held.
     *
     * @param dedupe skip entries already in the newest segments (an import cut short before)
     * @throws IOException when an entry cannot be appended; the file stays for the next pass
     */
    private void importSideFile(Path file, String name, boolean dedupe, boolean abandoned, List<String> findings) throws IOException {
        byte[] content = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(content);
        List<String> trouble = new ArrayList<>();
        String header = checkHeader(buf);
        int pos = 0;
        if (header != null) {
            trouble.add("it " + header);
        } else if (buf.getLong(16) != LATE_SEQUENCE || buf.getLong(8) != 0) {
            trouble.add("its header is not a side file's (serial " + buf.getLong(8) + ", first sequence " + buf.getLong(16) + ")");
        } else {
            pos = SEGMENT_HEADER;
        }
        List<byte[]> good = new ArrayList<>();
        int end = content.length;
        while (pos < end) {
            int length = validRecordAt(buf, pos, end);
            if (length < 0) {
                int next = resync(buf, pos + 1, end);
                trouble.add((next < 0 ? end : next) - pos + " unreadable bytes at byte " + pos);
                if (next < 0) {
                    break;
                }
                pos = next;
                continue;
            }
            int data = pos + FRAME;
            if (buf.get(data) == ENTRY) {
                byte[] d = Arrays.copyOfRange(content, data, data + length);
                try {
                    decode(d);
                    good.add(d);
                } catch (IOException | RuntimeException e) {
                    trouble.add("an entry at byte " + pos + " that does not decode (" + e + ")");
                }
            }
            pos = data + length;
        }
        if (good.isEmpty() && trouble.isEmpty()) {
            trouble.add("it holds no entry");
        }
        int duplicates = 0;
        if (dedupe && !good.isEmpty()) {
            int before = good.size();
            removeImported(good);
            duplicates = before - good.size();
        }
        for (byte[] d : good) {
            ByteBuffer.wrap(d).putLong(SEQUENCE_AT, nextSequence);
            append(d);
        }
        if (!good.isEmpty()) {
            Segment active = segments.get(segments.size() - 1);
            active.channel.force(false);
            dirty = false;
        }
        lateImported += good.size();
        if (trouble.isEmpty()) {
            Files.delete(file);
        } else {
            Path aside = file.resolveSibling(name + CORRUPT);
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            lateCorrupt++;
            problem(findings, "side file " + name + (abandoned ? " (left as .tmp by a writer that died)" : "") + " is torn or corrupt: "
                    + String.join(", ", trouble) + "; " + good.size() + " entries imported, renamed to " + aside.getFileName());
        }
        forceDirectory(file.getParent());
        if (!good.isEmpty()) {
            LOG.info("Dead-letter log {}: imported {} late entries from side file {} (sequences up to {}){}", dir, good.size(), name,
                    nextSequence - 1, duplicates > 0 ? "; " + duplicates + " more were imported before a crash and skipped" : "");
        } else if (duplicates > 0) {
            LOG.info("Dead-letter log {}: the {} entries of side file {} were imported before a crash; the file is deleted", dir,
                    duplicates, name);
        }
        enforceBounds();
    }

    /** Appends an entry (its sequence set) like {@link #record}, without a live object. Lock held. */
    private void append(byte[] data) throws IOException {
        long sequence = nextSequence;
        Segment seg = activeFor(data.length);
        long pos = write(seg, data);
        nextSequence = sequence + 1;
        boolean text = (data[FLAGS_AT] & FLAG_TEXT_ONLY) != 0;
        seg.add(sequence, pos, text);
        entries++;
        if (text) {
            textOnly++;
        }
    }

    /** Removes from {@code pending} the entries (sequence aside) already in the two newest segments. Lock held. */
    private void removeImported(List<byte[]> pending) {
        for (int si = segments.size() - 1; si >= Math.max(0, segments.size() - 2) && !pending.isEmpty(); si--) {
            Segment s = segments.get(si);
            for (int i = 0; i < s.count && !pending.isEmpty(); i++) {
                byte[] d;
                try {
                    d = readData(s, s.positions[i]);
                } catch (IOException e) {
                    continue;
                }
                ByteBuffer.wrap(d).putLong(SEQUENCE_AT, LATE_SEQUENCE);
                pending.removeIf(p -> Arrays.equals(p, d));
            }
        }
    }

    private void problem(List<String> findings, String text) {
        findings.add(text);
        lateProblem = text;
        LOG.error("Dead-letter log {}: {}", dir, text);
    }

    // ------------------------------------------------------------------ reading

    long size() {
        synchronized (lock) {
            return entries;
        }
    }

    long nextSequence() {
        synchronized (lock) {
            return nextSequence;
        }
    }

    long firstSequence() {
        synchronized (lock) {
            return firstSequenceLocked();
        }
    }

    private long firstSequenceLocked() {
        for (Segment s : segments) {
            if (s.count > 0) {
                return s.sequences[0];
            }
        }
        return nextSequence;
    }

    long bytes() {
        synchronized (lock) {
            return bytes;
        }
    }

    long evicted() {
        synchronized (lock) {
            return evicted;
        }
    }

    /** Entries whose payload is stored as text only. */
    long textOnly() {
        synchronized (lock) {
            return textOnly;
        }
    }

    long writeFailures() {
        synchronized (lock) {
            return writeFailures;
        }
    }

    String lastWriteError() {
        return lastWriteError;
    }

    /** Whether the latest write (or fsync) failed. */
    boolean lastWriteFailed() {
        return lastWriteFailed;
    }

    List<DeadLetterEntry> list(long fromSequence, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max " + max + " is negative");
        }
        synchronized (lock) {
            requireOpen();
            List<DeadLetterEntry> out = new ArrayList<>(Math.min(max, 1024));
            for (Segment s : segments) {
                if (out.size() >= max) {
                    break;
                }
                if (s.count == 0 || s.sequences[s.count - 1] < fromSequence) {
                    continue;
                }
                int i = s.indexOf(fromSequence);
                i = i >= 0 ? i : -i - 1;
                for (; i < s.count && out.size() < max; i++) {
                    addView(out, s, i);
                }
            }
            return Collections.unmodifiableList(out);
        }
    }

    List<DeadLetterEntry> latest(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max " + max + " is negative");
        }
        synchronized (lock) {
            requireOpen();
            List<DeadLetterEntry> out = new ArrayList<>(Math.min(max, 1024));
            for (int si = segments.size() - 1; si >= 0 && out.size() < max; si--) {
                Segment s = segments.get(si);
                for (int i = s.count - 1; i >= 0 && out.size() < max; i--) {
                    addView(out, s, i);
                }
            }
            Collections.reverse(out);
            return Collections.unmodifiableList(out);
        }
    }

    private void addView(List<DeadLetterEntry> out, Segment s, int i) {
        try {
            out.add(view(read(s, s.positions[i])));
        } catch (IOException e) {
            warnings.warn("Dead-letter entry " + s.sequences[i] + " in " + s.path.getFileName() + " is unreadable: " + e, null);
        }
    }

    DeadLetterEntry get(long sequence) {
        synchronized (lock) {
            requireOpen();
            Segment s = segmentOf(sequence);
            try {
                return view(read(s, s.positions[s.indexOf(sequence)]));
            } catch (IOException e) {
                throw new IllegalStateException("Dead letter " + sequence + " is unreadable in " + s.path + ": " + e.getMessage(), e);
            }
        }
    }

    /** The segment holding {@code sequence}; lock held. */
    private Segment segmentOf(long sequence) {
        Segment s = locate(sequence);
        if (s == null) {
            throw new IllegalArgumentException("No dead letter " + sequence + ": " + rangeText());
        }
        return s;
    }

    private Segment locate(long sequence) {
        for (Segment s : segments) {
            if (s.holds(sequence) && s.indexOf(sequence) >= 0) {
                return s;
            }
        }
        return null;
    }

    private String rangeText() {
        return entries == 0 ? "the log is empty (the next entry gets sequence " + nextSequence + ")"
                : "the log holds " + entries + " entries, sequences " + firstSequenceLocked() + " to " + (nextSequence - 1);
    }

    private void requireOpen() {
        if (closed) {
            throw new ServiceUnavailableException("dead-letter log", dir + " is closed");
        }
    }

    private Stored read(Segment s, long pos) throws IOException {
        return decode(readData(s, pos));
    }

    /** The data of the record at {@code pos}, CRC checked. */
    private static byte[] readData(Segment s, long pos) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(FRAME);
        readFully(s.channel, frame, pos);
        int length = frame.getInt(0);
        if (length < ENTRY_FIXED || length > MAX_DATA) {
            throw new IOException("impossible record length " + length + " at byte " + pos);
        }
        ByteBuffer data = ByteBuffer.allocate(length);
        readFully(s.channel, data, pos + FRAME);
        if (crc(length, data.array(), 0) != frame.getInt(4)) {
            throw new IOException("the record at byte " + pos + " fails its CRC check");
        }
        return data.array();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (pos + buf.position()));
            }
        }
    }

    /** Lock held. */
    private DeadLetterEntry view(Stored st) {
        Mark m = marks.get(st.sequence());
        boolean liveObject = live.containsKey(st.sequence());
        boolean replayable = !st.textOnly() || liveObject;
        String why = replayable ? null
                : st.notRestorable() + ", and the original object is no longer in memory (recorded in an earlier run, or older than the "
                        + options.liveEntries() + " kept)";
        return new DeadLetterEntry(st.sequence(), st.messageId(), st.channel(), st.payloadType(), st.payloadText(),
                ComponentId.of(st.source()), st.priority(), st.delivery(), st.targetMask(), st.reason(), st.subscription(),
                st.cause(), st.time(), st.recordedAt(), replayable, why, m == null ? 0 : m.count(), m == null ? 0 : m.atNanos(),
                m == null ? null : new MessageId(m.newMessageId()));
    }

    // ------------------------------------------------------------------ replay

    /**
     * Publishes a copy of the entry's packet through {@code bus}; see
     * {@link io.chronofabric.api.bus.DeadLetterLog#replay(long, boolean)}.
     *
     * @param bus the bus, or null when none is available
     */
    MessageId replay(long sequence, boolean force, EventBusTx bus) {
        Stored st;
        Object liveObject;
        synchronized (lock) {
            requireOpen();
            Segment s = segmentOf(sequence);
            Mark m = marks.get(sequence);
            if (m != null && !force) {
                throw new IllegalStateException("Dead letter " + sequence + " was already replayed as message "
                        + new MessageId(m.newMessageId()) + (m.count() > 1 ? " (" + m.count() + " times)" : "")
                        + "; replay it again with force");
            }
            if (replaying.contains(sequence)) {
                throw new IllegalStateException("Dead letter " + sequence + " is being replayed by another caller now");
            }
            if (bus == null) {
                throw new ServiceUnavailableException("bus", "no EventBusTx service is registered, so dead letter " + sequence
                        + " cannot be replayed now");
            }
            try {
                st = read(s, s.positions[s.indexOf(sequence)]);
            } catch (IOException e) {
                throw new IllegalStateException("Dead letter " + sequence + " is unreadable in " + s.path + ": " + e.getMessage(), e);
            }
            liveObject = live.get(sequence);
            replaying.add(sequence);
        }
        boolean done = false;
        try {
            Object payload = liveObject != null ? liveObject : restore(st);
            PhasePacket<?> copy = copyOf(st, payload);
            long id;
            try {
                id = bus.publish(copy);
            } catch (DeliveryFailedException e) {
                // accepted and dead-lettered again, as a new entry: this one counts as replayed
                if (copy.isStamped()) {
                    markReplayed(sequence, copy.messageIdValue());
                    done = true;
                }
                throw e;
            }
            markReplayed(sequence, id);
            done = true;
            return new MessageId(id);
        } finally {
            if (!done) {
                synchronized (lock) {
                    replaying.remove(sequence);
                }
            }
        }
    }

    private void markReplayed(long sequence, long newId) {
        long at = clock.getAsLong();
        synchronized (lock) {
            replaying.remove(sequence);
            Mark old = marks.get(sequence);
            marks.put(sequence, new Mark(old == null ? 1 : old.count() + 1, at, newId));
            if (closed) {
                return;
            }
            ByteBuffer data = ByteBuffer.allocate(REPLAYED_LENGTH);
            data.put(REPLAYED).put((byte) FORMAT).putLong(sequence).putLong(at).putLong(newId);
            try {
                write(activeFor(REPLAYED_LENGTH), data.array());
                enforceBounds();
            } catch (IOException | RuntimeException e) {
                noteWriteFailure(e);
                LOG.warn("Dead-letter log {}: the replay of entry {} as {} could not be recorded on disk ({}); a restart forgets it",
                        dir, sequence, new MessageId(newId), e.toString());
            }
        }
    }

    private static PhasePacket<?> copyOf(Stored st, Object payload) {
        RoutingMetadata routing = new RoutingMetadata(ComponentId.of(st.source()), st.sourceTask(), st.targetMask(), st.priority(),
                RoutingMetadata.NO_DEADLINE, st.sizeHint(), st.delivery());
        PhasePacket.Builder<Object> b = PhasePacket.builder(payload).routing(routing).quantumOffset(st.quantumOffset())
                .temporalPhase(st.phase()).coherenceScore(st.coherence());
        if (st.channel() != null) {
            b.channel(st.channel());
        }
        return b.build();
    }

    private Object restore(Stored st) {
        byte[] p = st.payload();
        String what = "payload " + st.payloadType() + " of dead letter " + st.sequence();
        if (st.encoding() == P_TEXT) {
            throw new SerializationException("dead letter " + st.sequence() + " cannot be restored: " + st.notRestorable()
                    + ", and the original object is no longer in memory");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(p));
            return switch (st.encoding()) {
                case P_STRING -> new String(p, StandardCharsets.UTF_8);
                case P_BYTES -> p.clone();
                case P_BOOLEAN -> in.readBoolean();
                case P_BYTE -> in.readByte();
                case P_SHORT -> in.readShort();
                case P_CHAR -> in.readChar();
                case P_INT -> in.readInt();
                case P_LONG -> in.readLong();
                case P_FLOAT -> in.readFloat();
                case P_DOUBLE -> in.readDouble();
                case P_SERIALIZED -> deserialize(p, what);
                default -> throw new SerializationException(what + " has an unknown encoding " + st.encoding());
            };
        } catch (IOException e) {
            throw new SerializationException(what + " cannot be restored: " + e, e);
        }
    }

    private Object deserialize(byte[] bytes, String what) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return resolver.load(desc.getName());
                } catch (ClassNotFoundException | LinkageError e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("maxdepth=256;maxbytes=" + (bytes.length + 1)));
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new SerializationException(what + " cannot be restored: class " + e.getMessage()
                    + " cannot be loaded through the bus bundle's or the thread's context class loader", e);
        } catch (InvalidClassException e) {
            throw new SerializationException(what + " cannot be restored: the class changed since it was recorded (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(what + " does not deserialize: " + e, e);
        }
    }

    // ------------------------------------------------------------------ encoding

    static byte[] encodeEntry(PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause, long recordedAt,
            int payloadLimit) throws IOException {
        Object payload = packet == null ? null : packet.payload();
        String type = payload == null ? "null" : payload.getClass().getName();
        byte encoding;
        byte[] payloadBytes;
        String notRestorable = null;
        if (payload instanceof String s) {
            encoding = P_STRING;
            payloadBytes = s.getBytes(StandardCharsets.UTF_8);
        } else if (payload instanceof byte[] b) {
            encoding = P_BYTES;
            payloadBytes = b.clone();
        } else if (payload instanceof Boolean || payload instanceof Byte || payload instanceof Short || payload instanceof Character
                || payload instanceof Integer || payload instanceof Long || payload instanceof Float || payload instanceof Double) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream(8);
            DataOutputStream d = new DataOutputStream(bo);
            if (payload instanceof Boolean v) {
                encoding = P_BOOLEAN;
                d.writeBoolean(v);
            } else if (payload instanceof Byte v) {
                encoding = P_BYTE;
                d.writeByte(v);
            } else if (payload instanceof Short v) {
                encoding = P_SHORT;
                d.writeShort(v);
            } else if (payload instanceof Character v) {
                encoding = P_CHAR;
                d.writeChar(v);
            } else if (payload instanceof Integer v) {
                encoding = P_INT;
                d.writeInt(v);
            } else if (payload instanceof Long v) {
                encoding = P_LONG;
                d.writeLong(v);
            } else if (payload instanceof Float v) {
                encoding = P_FLOAT;
                d.writeFloat(v);
            } else {
                encoding = P_DOUBLE;
                d.writeDouble((Double) payload);
            }
            payloadBytes = bo.toByteArray();
        } else if (payload instanceof Serializable) {
            encoding = P_SERIALIZED;
            payloadBytes = null;
            try {
                payloadBytes = serialize(payload, payloadLimit);
            } catch (TooLarge e) {
                notRestorable = "payload " + type + " serializes to more than max.payload.bytes=" + payloadLimit + " bytes";
            } catch (NotSerializableException e) {
                notRestorable = "payload " + type + " is Serializable but holds an object of class " + e.getMessage() + " that is not";
            } catch (IOException | RuntimeException | StackOverflowError e) {
                notRestorable = "payload " + type + " failed to serialize (" + e + ")";
            }
        } else {
            encoding = P_TEXT;
            payloadBytes = null;
            notRestorable = payload == null ? "the packet has no payload"
                    : "payload " + type + " is not Serializable (nor a String, byte[] or boxed primitive)";
        }
        if (payloadBytes != null && payloadBytes.length > payloadLimit) {
            notRestorable = "payload " + type + " of " + payloadBytes.length + " bytes is larger than max.payload.bytes=" + payloadLimit;
        }
        if (notRestorable != null) {
            encoding = P_TEXT;
            payloadBytes = new byte[0];
        }

        ByteArrayOutputStream bo = new ByteArrayOutputStream(256 + payloadBytes.length);
        DataOutputStream out = new DataOutputStream(bo);
        out.writeByte(ENTRY);
        out.writeByte(FORMAT);
        out.writeLong(0); // the sequence, set under the lock
        out.writeLong(recordedAt);
        out.writeByte(notRestorable != null ? FLAG_TEXT_ONLY : 0);
        RoutingMetadata r = packet == null ? RoutingMetadata.defaults(ComponentId.SYSTEM) : packet.routing();
        out.writeLong(packet == null ? PhasePacket.UNSTAMPED : packet.messageIdValue());
        LogicalTime t = packet == null ? null : packet.timestamp();
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.physical());
            out.writeLong(t.logical());
            out.writeInt(t.nodeId());
        }
        writeString(out, packet == null ? null : packet.channel());
        writeString(out, type);
        writeString(out, payloadText(payload));
        out.writeInt(r.source().value());
        out.writeLong(r.sourceTaskId());
        out.writeInt(r.sizeHint());
        writeString(out, r.priority().name());
        writeString(out, r.delivery().guarantee().name());
        out.writeInt(r.delivery().maxRetries());
        out.writeLong(r.delivery().timeoutNanos());
        out.writeLong(r.targetMask());
        out.writeDouble(packet == null ? 0 : packet.temporalPhase());
        out.writeFloat(packet == null ? 1f : packet.coherenceScore());
        QuantumOffset q = packet == null ? QuantumOffset.NONE : packet.quantumOffset();
        out.writeDouble(q.amplitudeNanos());
        out.writeDouble(q.frequencyHz());
        out.writeDouble(q.phaseRadians());
        writeString(out, truncate(reason == null ? "no reason given" : reason));
        writeString(out, subscriber == null ? null : subscriber.toString());
        writeString(out, cause == null ? null : causeText(cause));
        writeString(out, notRestorable);
        out.writeByte(encoding);
        out.writeInt(payloadBytes.length);
        out.write(payloadBytes);
        out.flush();
        return bo.toByteArray();
    }

    private static Stored decode(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        if (in.readByte() != ENTRY || in.readByte() != FORMAT) {
            throw new IOException("not an entry record");
        }
        long sequence = in.readLong();
        long recordedAt = in.readLong();
        boolean text = (in.readByte() & FLAG_TEXT_ONLY) != 0;
        long messageId = in.readLong();
        LogicalTime time = in.readBoolean() ? new LogicalTime(in.readLong(), in.readLong(), in.readInt()) : null;
        String channel = readString(in);
        String type = readString(in);
        String payloadText = readString(in);
        int source = in.readInt();
        long sourceTask = in.readLong();
        int sizeHint = in.readInt();
        Priority priority = Priority.valueOf(readString(in));
        DeliveryGuarantee guarantee = DeliveryGuarantee.valueOf(readString(in));
        DeliveryOptions delivery = new DeliveryOptions(guarantee, in.readInt(), in.readLong());
        long mask = in.readLong();
        double phase = in.readDouble();
        float coherence = in.readFloat();
        QuantumOffset q = new QuantumOffset(in.readDouble(), in.readDouble(), in.readDouble());
        String reason = readString(in);
        String subscription = readString(in);
        String cause = readString(in);
        String notRestorable = readString(in);
        byte encoding = in.readByte();
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("payload length " + n + " does not fit the record");
        }
        byte[] payload = in.readNBytes(n);
        return new Stored(sequence, recordedAt, text, messageId, time, channel, type, payloadText, source, sourceTask, sizeHint,
                priority, delivery, mask, phase, coherence, q, reason, subscription, cause, notRestorable, encoding, payload);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.available()) {
            throw new IOException("string length " + n + " does not fit the record");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    static String payloadText(Object payload) {
        if (payload instanceof byte[] b) {
            String hex = HEX.formatHex(b, 0, Math.min(b.length, 64));
            return "byte[" + b.length + "] " + hex + (b.length > 64 ? "..." : "");
        }
        try {
            return truncate(String.valueOf(payload));
        } catch (RuntimeException | StackOverflowError e) {
            return "<toString() threw " + e + ">";
        }
    }

    static String truncate(String s) {
        return s.length() <= TEXT_LIMIT ? s : s.substring(0, TEXT_LIMIT - 3) + "...";
    }

    private static String causeText(Throwable cause) {
        try {
            StringWriter w = new StringWriter();
            cause.printStackTrace(new PrintWriter(w));
            return truncate(w.toString().stripTrailing());
        } catch (RuntimeException | StackOverflowError e) {
            return cause.getClass().getName();
        }
    }

    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static byte[] serialize(Object payload, int limit) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream(256);
        OutputStream capped = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                check(1);
                bo.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                check(len);
                bo.write(b, off, len);
            }

            private void check(int n) throws TooLarge {
                if (bo.size() + (long) n > limit) {
                    throw new TooLarge();
                }
            }
        };
        try (ObjectOutputStream out = new ObjectOutputStream(capped)) {
            out.writeObject(payload);
        }
        return bo.toByteArray();
    }

    // ------------------------------------------------------------------ close

    /** Forces and closes the files; later records return NOT_RECORDED, reads throw. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Segment s : segments) {
                try {
                    s.channel.force(true);
                    s.channel.close();
                } catch (IOException e) {
                    LOG.warn("Dead-letter log {}: closing {} failed: {}", dir, s.path.getFileName(), e.toString());
                }
            }
            try {
                fileLock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.debug("Dead-letter log {}: releasing the lock failed: {}", dir, e.toString());
            }
            live.clear();
        }
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }
}
