package io.chronofabric.consensus.aeron.internal;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.NodeControl;
import io.aeron.cluster.RecordingLog;
import io.aeron.cluster.service.Cluster;
import io.chronofabric.api.consensus.MemberStatus;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's Aeron Archive bounded: the recording of the cluster log and the snapshot
 * recordings would otherwise grow forever. Once a second, on a thread of its own:
 * <ol>
 * <li>reads the node's recording log (Aeron Cluster's {@code recording.log}: its terms and the
 * snapshots the consensus module and the service completed, at the same log position on every
 * member) and finds the position of the oldest of the {@code retain.snapshots} latest;</li>
 * <li>on the leader: asks the consensus module for every member's appended log position
 * (list-members) and, when every member has appended past a newer snapshot, proposes a
 * {@link LogService#PURGE} command with {@code min(that, every member's position)} through the
 * log itself, so every member learns the same safe position. A member that is down, or whose
 * position this leader has not heard, holds the purge back: Aeron Cluster (open source) has a
 * lagging follower catch up from the leader's recorded log, never from a snapshot, so no
 * member may delete log another member still needs;</li>
 * <li>on every member: purges (Aeron Archive {@code purgeSegments}) the log recording's whole
 * segments before {@code min(safe position, its own oldest retained snapshot)}: it recovers from
 * that snapshot and the log after it; and deletes ({@code purgeRecording}) the recordings of the
 * snapshots older than the retained ones.</li>
 * </ol>
 * The recording log belongs to the running consensus module (it keeps it open and caches its
 * entries): after deleting snapshot recordings the purger asks it, through Aeron's node-control
 * toggle {@code VALIDATE_RECORDING_LOG} (what ClusterTool {@code validate-recording-log} sets),
 * to mark the entries of recordings its archive no longer has invalid; {@link ArchiveCleanup}
 * removes those entries from the file, and the purged descriptors from the archive catalog, at
 * the node's next start, before either file is opened.
 */
final class LogPurger implements Agent {

    private static final Logger LOG = LoggerFactory.getLogger(LogPurger.class);
    private static final long PERIOD_MS = 1_000;
    private static final long MEMBER_QUERY_BACKOFF_MS = 2_000;
    /** The consensus module's cluster id: AeronNode leaves Aeron's default. */
    private static final int CLUSTER_ID = 0;

    private final ConsensusSettings settings;
    private final LogService service;
    private final Proposer proposer;
    private final Supplier<List<MemberStatus>> members;
    private final ErrorHandler errors;
    private final File clusterDir;
    private final File archiveDir;
    private final LongHashSet deletedSnapshots = new LongHashSet();

    private volatile int retainSnapshots;
    private volatile long logStartPosition = -1;
    private volatile long archiveBytes = -1;
    private volatile long segmentsDeleted;
    private volatile long snapshotRecordingsDeleted;
    private volatile long keptFromPosition = -1;
    private volatile long validationsRequested;
    private boolean validationPending;

    private Aeron aeron;
    private AeronArchive archive;
    private RecordingLog recordingLog;
    private long lastRunMs;
    private long lastMemberQueryMs;
    private long proposedSafe = -1;
    private CompletableFuture<Boolean> proposal;
    private String lastError;

    LogPurger(ConsensusSettings settings, LogService service, Proposer proposer, Supplier<List<MemberStatus>> members,
            ErrorHandler errors) {
        this.settings = settings;
        this.service = service;
        this.proposer = proposer;
        this.members = members;
        this.errors = errors;
        this.clusterDir = new File(settings.nodeDir(), "cluster");
        this.archiveDir = new File(settings.nodeDir(), "archive");
        apply(settings);
    }

    /** Settings a running node takes without a restart. */
    void apply(ConsensusSettings s) {
        retainSnapshots = s.retainSnapshots();
    }

    @Override
    public String roleName() {
        return "chronofabric-consensus-purge-" + settings.nodeId();
    }

    @Override
    public int doWork() {
        if (aeron != null) {
            aeron.conductorAgentInvoker().invoke();
        }
        long now = System.currentTimeMillis();
        if (now - lastRunMs < PERIOD_MS) {
            return 0;
        }
        lastRunMs = now;
        archiveBytes = sizeOf(archiveDir);
        if (retainSnapshots <= 0 || !service.started()) {
            return 0;
        }
        try {
            run(now);
            lastError = null;
        } catch (RuntimeException e) {
            String message = e.toString();
            if (!message.equals(lastError)) {
                LOG.warn("Consensus node-{}: archive purge failed, retrying every second: {}", settings.nodeId(), message);
                LOG.debug("Consensus node-{}: archive purge failed", settings.nodeId(), e);
                lastError = message;
            }
            closeArchive();
        }
        return 0; // periodic: the runner sleeps between calls
    }

    private void run(long now) {
        RecordingLog rl = recordingLog();
        if (rl == null) {
            return;
        }
        rl.reload();
        List<RecordingLog.Entry> entries = rl.entries();
        long keepFrom = oldestRetainedSnapshot(entries, retainSnapshots);
        if (keepFrom < 0) {
            return; // fewer snapshots than retained: nothing to purge yet
        }
        keptFromPosition = keepFrom;
        if (service.role() == Cluster.Role.LEADER) {
            proposeSafePosition(keepFrom, now);
        }
        AeronArchive a = archive();
        purgeLog(a, rl.findLastTermRecordingId(), Math.min(service.purgeSafePosition(), keepFrom));
        deleteOldSnapshots(a, entries, keepFrom);
        if (validationPending) {
            requestRecordingLogValidation();
        }
    }

    /**
     * Sets the consensus module's node-control toggle to VALIDATE_RECORDING_LOG: on its next slow
     * tick it checks every valid snapshot entry against its archive and invalidates those of
     * unknown recordings (RecordingLogValidator). While the toggle is busy, tries again next run.
     */
    private void requestRecordingLogValidation() {
        AtomicCounter toggle = NodeControl.findControlToggle(aeron.countersReader(), CLUSTER_ID);
        if (toggle != null && NodeControl.ToggleState.VALIDATE_RECORDING_LOG.toggle(toggle)) {
            validationPending = false;
            validationsRequested++;
            LOG.debug("Consensus node-{}: recording.log validation requested (entries of deleted snapshot recordings "
                    + "become invalid)", settings.nodeId());
        }
    }

    /**
     * The log position of the oldest of the {@code retain} latest snapshots both the consensus
     * module and the service completed, or -1 when there are fewer.
     */
    static long oldestRetainedSnapshot(List<RecordingLog.Entry> entries, int retain) {
        TreeMap<Long, int[]> byPosition = new TreeMap<>();
        for (RecordingLog.Entry e : entries) {
            if (e.type == RecordingLog.ENTRY_TYPE_SNAPSHOT && e.isValid) {
                int[] parts = byPosition.computeIfAbsent(e.logPosition, p -> new int[2]);
                parts[e.serviceId == ConsensusModule.Configuration.SERVICE_ID ? 0 : 1]++;
            }
        }
        int seen = 0;
        for (Long position : byPosition.descendingKeySet()) {
            int[] parts = byPosition.get(position);
            if (parts[0] > 0 && parts[1] > 0 && ++seen == retain) {
                return position;
            }
        }
        return -1;
    }

    private void proposeSafePosition(long keepFrom, long now) {
        if (proposal != null) {
            if (!proposal.isDone()) {
                return;
            }
            if (proposal.isCompletedExceptionally()) {
                proposedSafe = -1; // unknown outcome: propose again
            }
            proposal = null;
        }
        if (keepFrom <= Math.max(proposedSafe, service.purgeSafePosition())
                || now - lastMemberQueryMs < MEMBER_QUERY_BACKOFF_MS && proposedSafe >= 0) {
            return;
        }
        lastMemberQueryMs = now;
        long safe = safePosition(members.get(), settings.members().size(), keepFrom);
        if (safe > Math.max(proposedSafe, service.purgeSafePosition())) {
            proposedSafe = safe;
            proposal = proposer.proposePurge(safe);
            LOG.debug("Consensus node-{}: every member appended the log past {}: purge proposed", settings.nodeId(), safe);
        }
    }

    /**
     * {@code min(limit, every member's appended position)}, or -1 when a member's position is
     * unknown (down, or not heard by this leader).
     */
    static long safePosition(List<MemberStatus> status, int memberCount, long limit) {
        if (status.size() < memberCount) {
            return -1;
        }
        long safe = limit;
        for (MemberStatus m : status) {
            if (m.logPosition() < 0) {
                return -1;
            }
            safe = Math.min(safe, m.logPosition());
        }
        return safe;
    }

    private void purgeLog(AeronArchive a, long recordingId, long target) {
        if (recordingId < 0) {
            return;
        }
        long[] extent = new long[4]; // start, stop, term length, segment length
        int found = a.listRecording(recordingId, (controlSessionId, correlationId, id, startTimestamp, stopTimestamp,
                startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId,
                streamId, strippedChannel, originalChannel, sourceIdentity) -> {
            extent[0] = startPosition;
            extent[1] = stopPosition;
            extent[2] = termBufferLength;
            extent[3] = segmentFileLength;
        });
        if (found == 0) {
            return;
        }
        long start = extent[0];
        logStartPosition = start;
        if (target <= start) {
            return;
        }
        int termLength = (int) extent[2];
        int segmentLength = (int) extent[3];
        long newStart = AeronArchive.segmentFileBasePosition(start, target, termLength, segmentLength);
        long lowerBound = AeronArchive.segmentFileBasePosition(start, start, termLength, segmentLength) + segmentLength;
        if (newStart < lowerBound) {
            return; // not a whole segment to purge yet
        }
        long deleted = a.purgeSegments(recordingId, newStart);
        logStartPosition = newStart;
        segmentsDeleted += deleted;
        LOG.info("Consensus node-{}: archive purged the log recording {} before position {} ({} segment files of {} bytes "
                        + "deleted; snapshots kept from position {}, every member past {}); archive {} bytes",
                settings.nodeId(), recordingId, newStart, deleted, segmentLength, keptFromPosition,
                service.purgeSafePosition(), sizeOf(archiveDir));
    }

    private void deleteOldSnapshots(AeronArchive a, List<RecordingLog.Entry> entries, long keepFrom) {
        List<Long> old = new ArrayList<>();
        for (RecordingLog.Entry e : entries) {
            if (e.type == RecordingLog.ENTRY_TYPE_SNAPSHOT && e.logPosition < keepFrom && e.recordingId >= 0
                    && !deletedSnapshots.contains(e.recordingId)) {
                old.add(e.recordingId);
            }
        }
        int n = 0;
        for (long id : old) {
            if (a.listRecording(id, (c, r, i, st, sp, startPosition, stopPosition, it, sl, tl, mtu, sid, stream, sc, oc,
                    src) -> { }) > 0) {
                a.purgeRecording(id);
                n++;
            }
            deletedSnapshots.add(id);
        }
        if (n > 0) {
            validationPending = true;
            snapshotRecordingsDeleted += n;
            LOG.info("Consensus node-{}: {} recordings of snapshots before position {} deleted; archive {} bytes",
                    settings.nodeId(), n, keepFrom, sizeOf(archiveDir));
        }
    }

    private RecordingLog recordingLog() {
        if (recordingLog == null) {
            if (!new File(clusterDir, RecordingLog.RECORDING_LOG_FILE_NAME).exists()) {
                return null;
            }
            recordingLog = new RecordingLog(clusterDir, false);
        }
        return recordingLog;
    }

    private AeronArchive archive() {
        if (archive == null) {
            if (aeron == null) {
                aeron = Aeron.connect(new Aeron.Context()
                        .aeronDirectoryName(settings.driverDir())
                        .useConductorAgentInvoker(true)
                        .errorHandler(errors));
            }
            archive = AeronArchive.connect(AeronNode.localArchiveContext(settings.driverDir())
                    .aeron(aeron)
                    .ownsAeronClient(false)
                    .lock(NoOpLock.INSTANCE)
                    .errorHandler(errors));
        }
        return archive;
    }

    private void closeArchive() {
        CloseHelper.quietClose(archive);
        archive = null;
        CloseHelper.quietClose(recordingLog);
        recordingLog = null;
    }

    @Override
    public void onClose() {
        closeArchive();
        CloseHelper.quietClose(aeron);
        aeron = null;
    }

    /** Total length of the files under {@code dir}. */
    static long sizeOf(File dir) {
        File[] files = dir.listFiles();
        if (files == null) {
            return 0;
        }
        long total = 0;
        for (File f : files) {
            total += f.isDirectory() ? sizeOf(f) : f.length();
        }
        return total;
    }

    long logStartPosition() {
        return logStartPosition;
    }

    long archiveBytes() {
        return archiveBytes;
    }

    long segmentsDeleted() {
        return segmentsDeleted;
    }

    long snapshotRecordingsDeleted() {
        return snapshotRecordingsDeleted;
    }

    /** Times the consensus module was asked to validate its recording log. */
    long validationsRequested() {
        return validationsRequested;
    }

    int retainSnapshots() {
        return retainSnapshots;
    }

    @Override
    public String toString() {
        return Objects.toString(roleName());
    }
}
