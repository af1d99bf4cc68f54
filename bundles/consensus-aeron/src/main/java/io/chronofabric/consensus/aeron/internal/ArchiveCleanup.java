package io.chronofabric.consensus.aeron.internal;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;


import io.aeron.archive.ArchiveTool;
import io.aeron.cluster.RecordingLog;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what the archive purge leaves behind, at node start, before the archive and the
 * consensus module open their files (both keep them open and mapped while they run, and Aeron
 * 1.51 has no live operation that removes entries: {@code RecordingLog.removeEntry} and
 * {@code invalidateEntry} are package-private and work on the consensus module's own open
 * instance; {@code ArchiveTool compact} refuses nothing but is only safe on a stopped archive):
 * <ol>
 * <li><b>recording.log</b>: the snapshot entries older than the oldest of the
 * {@code retain.snapshots} latest complete snapshots (the consensus module's and the service's at
 * one log position) are dropped: the live purge deleted their recordings (or the consensus
 * module's {@code VALIDATE_RECORDING_LOG} already marked them invalid). Every term entry (the
 * log recording, term base positions the elections use) and every later snapshot entry, valid or
 * not, stays as it was. The file is rewritten beside it and moved over it atomically, as Aeron's
 * ClusterTool {@code sort-recording-log} does (ClusterToolOperator.updateRecordingLog), keeping
 * the invalid flags.</li>
 * <li><b>archive catalog</b>: a snapshot recording of a dropped entry still VALID in the catalog
 * (a purge interrupted by a stop) is marked INVALID ({@code ArchiveTool.markRecordingInvalid});
 * then, when the catalog holds descriptors that are not VALID (purged recordings are DELETED),
 * {@code ArchiveTool.compact} rewrites it without them and deletes their segment files.</li>
 * </ol>
 * Order of steps for crash safety: recordings are invalidated before the entries naming them go
 * (a stop in between leaves entries of gone recordings, dropped on the next start, never a
 * recording nobody names). ArchiveTool's compaction deletes the catalog, then moves the compacted
 * one in: a stop between the two leaves only {@code archive.catalog.compact}, which
 * {@link #recoverInterruptedCompaction} moves back at the next start.
 * Never touched: the log recording and the recordings of the retained snapshots (their ids are
 * kept even if an older, dropped entry names the same id).
 */
final class ArchiveCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveCleanup.class);
    private static final Pattern DESCRIPTOR = Pattern.compile("\\|recordingId=(\\d+)\\|.*\\|(\\w+)$");
    static final String COMPACT_SUFFIX = ".compact";
    /** Archive.Configuration.CATALOG_FILE_NAME (package-private in Aeron 1.51). */
    static final String CATALOG_FILE_NAME = "archive.catalog";

    /**
     * What a start-up clean-up did.
     *
     * @param entriesBefore       recording.log entries before
     * @param entriesAfter        recording.log entries after
     * @param recordingsInvalidated snapshot recordings still VALID that were marked INVALID
     * @param descriptorsBefore   catalog descriptors before (all states), -1 without a catalog
     * @param descriptorsAfter    catalog descriptors after (all states), -1 without a catalog
     */
    record Result(int entriesBefore, int entriesAfter, int recordingsInvalidated, int descriptorsBefore,
            int descriptorsAfter) {

        static final Result NONE = new Result(-1, -1, 0, -1, -1);
    }

    private ArchiveCleanup() {
    }

    /**
     * Cleans the node's recording.log and catalog; nothing of this node may run. Does nothing
     * when {@code retain <= 0} (the archive keeps everything).
     */
    static Result run(String node, File clusterDir, File archiveDir, int retain) {
        if (retain <= 0) {
            return Result.NONE;
        }
        recoverInterruptedCompaction(archiveDir); // a failure here is fatal: the archive would start without its catalog
        try {
            return clean(node, clusterDir, archiveDir, retain);
        } catch (Exception | LinkageError e) {
            // Aeron rethrows IOExceptions unchecked (LangUtil.rethrowUnchecked); a LinkageError would mean a
            // wrapped Aeron bundle without a package ArchiveTool needs: the clean-up is optional, the start is not
            // every step leaves consistent files (a rewrite is atomic; recordings invalidated before
            // their entries go are older than the retained snapshots): the node starts, the next
            // start tries again
            LOG.warn("Consensus {}: start-up clean-up of the archive purge's leftovers failed, left for the next start "
                    + "(recording.log in {}, catalog in {}): {}", node, clusterDir, archiveDir, e.toString());
            LOG.debug("Consensus {}: start-up clean-up failed", node, e);
            return Result.NONE;
        }
    }

    private static Result clean(String node, File clusterDir, File archiveDir, int retain) {
        File catalogFile = new File(archiveDir, CATALOG_FILE_NAME);
        boolean hasCatalog = catalogFile.exists();
        Map<Long, String> states = hasCatalog ? catalogStates(archiveDir) : Map.of();
        int descriptorsBefore = hasCatalog ? states.size() : -1;

        int entriesBefore = -1;
        int entriesAfter = -1;
        int invalidated = 0;
        if (new File(clusterDir, RecordingLog.RECORDING_LOG_FILE_NAME).exists()) {
            List<RecordingLog.Entry> entries;
            try (RecordingLog log = new RecordingLog(clusterDir, false)) {
                entries = new ArrayList<>(log.entries());
            }
            entriesBefore = entries.size();
            entriesAfter = entriesBefore;
            long keepFrom = LogPurger.oldestRetainedSnapshot(entries, retain);
            if (keepFrom >= 0) {
                List<RecordingLog.Entry> kept = new ArrayList<>();
                List<RecordingLog.Entry> dropped = new ArrayList<>();
                for (RecordingLog.Entry e : entries) {
                    (droppable(e, keepFrom) ? dropped : kept).add(e);
                }
                if (!dropped.isEmpty()) {
                    LongHashSet needed = new LongHashSet();
                    kept.forEach(e -> needed.add(e.recordingId));
                    LongHashSet done = new LongHashSet();
                    for (RecordingLog.Entry e : dropped) {
                        long id = e.recordingId;
                        if (id >= 0 && !needed.contains(id) && done.add(id) && "VALID".equals(states.get(id))) {
                            ArchiveTool.markRecordingInvalid(quiet(), archiveDir, id);
                            states.put(id, "INVALID");
                            invalidated++;
                        }
                    }
                    rewrite(clusterDir, kept);
                    entriesAfter = kept.size();
                }
            }
        }

        int descriptorsAfter = descriptorsBefore;
        if (hasCatalog && states.values().stream().anyMatch(s -> !"VALID".equals(s))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                ArchiveTool.compact(ps, archiveDir);
            }
            String said = out.toString(StandardCharsets.UTF_8).trim();
            if (!said.startsWith("Compaction result")) {
                // ArchiveTool prints its IOException instead of throwing it; the old catalog stays
                throw new IllegalStateException("archive catalog compaction of " + catalogFile + " failed: " + said);
            }
            descriptorsAfter = catalogStates(archiveDir).size();
        }
        Result r = new Result(entriesBefore, entriesAfter, invalidated, descriptorsBefore, descriptorsAfter);
        if (entriesAfter != entriesBefore || descriptorsAfter != descriptorsBefore) {
            LOG.info("Consensus {}: start-up clean-up after the archive purge: recording.log {} -> {} entries, "
                            + "archive catalog {} -> {} descriptors ({} leftover snapshot recordings invalidated)",
                    node, entriesBefore, entriesAfter, descriptorsBefore, descriptorsAfter, invalidated);
        }
        return r;
    }

    /** A snapshot entry (valid or not) of a position before the oldest retained snapshot. */
    static boolean droppable(RecordingLog.Entry e, long keepFrom) {
        return e.type == RecordingLog.ENTRY_TYPE_SNAPSHOT && e.logPosition < keepFrom;
    }

    /**
     * ArchiveTool.compact deletes {@code archive.catalog} and then moves {@code archive.catalog.compact}
     * in its place: after a stop between the two only the (complete) compacted file is left: move it
     * back. With both present the compaction had not finished writing: the old catalog is whole.
     */
    static void recoverInterruptedCompaction(File archiveDir) {
        Path catalog = new File(archiveDir, CATALOG_FILE_NAME).toPath();
        Path compact = new File(archiveDir, CATALOG_FILE_NAME + COMPACT_SUFFIX).toPath();
        try {
            if (Files.exists(compact)) {
                if (Files.exists(catalog)) {
                    Files.delete(compact);
                } else {
                    Files.move(compact, catalog, ATOMIC_MOVE);
                    LOG.warn("Archive catalog {}: an interrupted compaction left only its compacted copy: restored", catalog);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover the archive catalog " + catalog + " after an interrupted "
                    + "compaction", e);
        }
    }

    /** Every descriptor of the catalog (all states: VALID, INVALID, DELETED) by recording id. */
    static Map<Long, String> catalogStates(File archiveDir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            ArchiveTool.describeAll(ps, archiveDir);
        }
        Map<Long, String> states = new TreeMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\\R")) {
            Matcher m = DESCRIPTOR.matcher(line);
            if (m.find()) {
                states.put(Long.parseLong(m.group(1)), m.group(2));
            }
        }
        return states;
    }

    /**
     * Writes {@code entries} to {@code recording.log.tmp} in RecordingLog's format (64-byte aligned
     * records, the invalid flag kept), forces it, and moves it over {@code recording.log}.
     */
    static void rewrite(File clusterDir, List<RecordingLog.Entry> entries) {
        Path target = new File(clusterDir, RecordingLog.RECORDING_LOG_FILE_NAME).toPath();
        Path tmp = new File(clusterDir, RecordingLog.RECORDING_LOG_FILE_NAME + ".tmp").toPath();
        ByteBuffer bytes = ByteBuffer.allocate(RecordingLog.MAX_ENTRY_LENGTH).order(LITTLE_ENDIAN);
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        try {
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long position = 0;
                for (RecordingLog.Entry e : entries) {
                    int length = e.length();
                    buffer.setMemory(0, length, (byte) 0);
                    buffer.putLong(RecordingLog.RECORDING_ID_OFFSET, e.recordingId, LITTLE_ENDIAN);
                    buffer.putLong(RecordingLog.LEADERSHIP_TERM_ID_OFFSET, e.leadershipTermId, LITTLE_ENDIAN);
                    buffer.putLong(RecordingLog.TERM_BASE_LOG_POSITION_OFFSET, e.termBaseLogPosition, LITTLE_ENDIAN);
                    buffer.putLong(RecordingLog.LOG_POSITION_OFFSET, e.logPosition, LITTLE_ENDIAN);
                    buffer.putLong(RecordingLog.TIMESTAMP_OFFSET, e.timestamp, LITTLE_ENDIAN);
                    buffer.putInt(RecordingLog.SERVICE_ID_OFFSET, e.serviceId, LITTLE_ENDIAN);
                    buffer.putInt(RecordingLog.ENTRY_TYPE_OFFSET,
                            e.isValid ? e.type : e.type | RecordingLog.ENTRY_TYPE_INVALID_FLAG, LITTLE_ENDIAN);
                    if (e.type == RecordingLog.ENTRY_TYPE_STANDBY_SNAPSHOT && e.archiveEndpoint != null) {
                        buffer.putStringAscii(RecordingLog.ENDPOINT_OFFSET, e.archiveEndpoint, LITTLE_ENDIAN);
                    }
                    bytes.limit(length).position(0);
                    while (bytes.hasRemaining()) {
                        position += ch.write(bytes, position);
                    }
                }
                ch.force(true);
            }
            Files.move(tmp, target, REPLACE_EXISTING, ATOMIC_MOVE);
            try (FileChannel dir = FileChannel.open(clusterDir.toPath(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // some file systems refuse to open a directory: the move is atomic either way
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the recording log " + target, e);
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
