package io.chronofabric.consensus.aeron.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;
import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.LedgerAppend;
import io.chronofabric.api.consensus.Lease;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive purge's leftovers (issue #14): the entries of purged snapshots in recording.log and
 * the descriptors of purged recordings in the archive catalog. While a node runs the consensus
 * module invalidates the entries (VALIDATE_RECORDING_LOG); at its next start both are removed
 * before the files are opened, and the node recovers the same state from what is left.
 */
class ArchiveCleanupTest {

    private static final Duration LONG = Duration.ofSeconds(120);
    private static final int RETAIN = 2;
    private static final int INTERVAL = 50;

    @TempDir
    File dir;

    private final List<CommittedValue> acknowledged = new ArrayList<>();
    private final List<LedgerAppend> appended = new ArrayList<>();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private File clusterDir() {
        return new File(new File(dir, "node-0"), "cluster");
    }

    private File archiveDir() {
        return new File(new File(dir, "node-0"), "archive");
    }

    private List<RecordingLog.Entry> entries() {
        try (RecordingLog log = new RecordingLog(clusterDir(), false)) {
            return new ArrayList<>(log.entries());
        }
    }

    private static long count(List<RecordingLog.Entry> entries, boolean snapshot, boolean valid) {
        return entries.stream()
                .filter(e -> (e.type == RecordingLog.ENTRY_TYPE_SNAPSHOT) == snapshot && e.isValid == valid)
                .count();
    }

    /** {@code snapshots} times: a batch past the snapshot interval, a ledger append, and its snapshot. */
    private void snapshots(AeronConsensus node, int snapshots) throws Exception {
        for (int s = 0; s < snapshots; s++) {
            List<CompletableFuture<CommittedValue>> batch = new ArrayList<>();
            for (int i = 0; i < INTERVAL + 10; i++) {
                batch.add(node.proposeFuture(bytes("v" + acknowledged.size() + "-" + i)));
            }
            for (CompletableFuture<CommittedValue> f : batch) {
                acknowledged.add(f.get(60, TimeUnit.SECONDS));
            }
            appended.add(node.ledger().append(bytes("ledger-" + appended.size())).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS));
            long last = node.commitIndex();
            Waits.until(LONG, () -> node.status().snapshotIndex() >= last - INTERVAL / 2);
        }
    }

    private void assertSameState(AeronConsensus node, Lease lease) {
        long last = acknowledged.get(acknowledged.size() - 1).index();
        assertThat(node.commitIndex()).isGreaterThanOrEqualTo(last);
        for (long i = Math.max(node.firstIndex(), 0); i <= last; i++) {
            int k = (int) i;
            acknowledged.stream().filter(v -> v.index() == k).findFirst()
                    .ifPresent(v -> assertThat(node.get(k)).as("index %d", k).contains(v));
        }
        assertThat(node.ledger().size()).isEqualTo(appended.size());
        for (LedgerAppend a : appended) {
            assertThat(node.ledger().rootHash(a.index() + 1)).as("ledger root at %d", a.index() + 1).isEqualTo(a.rootHash());
        }
        assertThat(node.lock().holder("res")).contains(lease);
    }

    @Test
    void shouldRemovePurgedEntriesAndDescriptorsAtRestartAndRecoverTheSameState() throws Exception {
        Map<Integer, String> members = Nodes.members(1);
        ConsensusSettings s = new ConsensusSettings(0, members, dir, "", 10_000, 1_000, 2_000, 5_000, 10_000, 64 * 1024,
                INTERVAL, 0, 4096, RETAIN, 64 * 1024);
        Lease lease;
        List<RecordingLog.Entry> before;
        Map<Long, String> catalogBefore;
        try (AeronConsensus node = AeronConsensus.start(s)) {
            Waits.until(LONG, () -> node.view().isLeader());
            assertThat(node.startupCleanup()).as("a fresh node has nothing to clean").isEqualTo(ArchiveCleanup.Result.NONE);
            lease = node.lock().tryAcquire("res", "owner", Duration.ofHours(1)).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS).orElseThrow();
            snapshots(node, 10);
            // live: the purger deleted the old snapshot recordings and had the consensus module
            // invalidate their entries; only the retained snapshots' entries stay valid
            Waits.until(LONG, () -> node.status().snapshotsDeleted() >= 2 * (10 - RETAIN) - 2
                    && node.recordingLogValidations() > 0
                    && count(entries(), true, true) == 2L * RETAIN);
            List<RecordingLog.Entry> live = entries();
            assertThat(count(live, true, false)).as("invalidated snapshot entries, still in the file")
                    .isGreaterThanOrEqualTo(2L * (10 - RETAIN) - 2);
        }
        before = entries(); // as the node left it (a snapshot may have come after the live look)
        catalogBefore = ArchiveCleanup.catalogStates(archiveDir());
        assertThat(catalogBefore.values()).as("purged recordings stay in the catalog until it is compacted")
                .contains("DELETED");

        try (AeronConsensus node = AeronConsensus.start(s)) {
            ArchiveCleanup.Result r = node.startupCleanup();
            long terms = count(before, false, true) + count(before, false, false);
            assertThat(r.entriesBefore()).isEqualTo(before.size());
            assertThat(r.entriesAfter()).as("terms and the retained snapshots' entries: %s", r)
                    .isEqualTo(terms + 2L * RETAIN);
            assertThat(r.descriptorsBefore()).isEqualTo(catalogBefore.size());
            Waits.until(LONG, () -> node.commitIndex() >= acknowledged.get(acknowledged.size() - 1).index()
                    && node.view().isLeader());
            assertSameState(node, lease);
            // what is left of the catalog: the log recording and the retained snapshots' recordings
            assertThat(r.descriptorsAfter()).as("%s", r).isEqualTo(1 + 2 * RETAIN);

            // many more snapshots: the file and the catalog stay bounded across restarts
            snapshots(node, 8);
            Waits.until(LONG, () -> count(entries(), true, true) == 2L * RETAIN);
        }
        Map<Long, String> catalogMid = ArchiveCleanup.catalogStates(archiveDir());
        List<RecordingLog.Entry> mid = entries();
        assertThat(count(mid, true, false)).as("the second run's purged snapshots, invalidated").isPositive();
        try (AeronConsensus node = AeronConsensus.start(s)) {
            ArchiveCleanup.Result r = node.startupCleanup();
            long terms = count(mid, false, true) + count(mid, false, false);
            assertThat(r.entriesBefore()).isEqualTo(mid.size());
            assertThat(r.entriesAfter()).as("after 18 snapshots: terms and the retained snapshots' entries: %s", r)
                    .isEqualTo(terms + 2L * RETAIN);
            assertThat(r.descriptorsBefore()).isEqualTo(catalogMid.size());
            assertThat(r.descriptorsAfter()).as("%s", r).isEqualTo(1 + 2 * RETAIN);
            Waits.until(LONG, () -> node.commitIndex() >= acknowledged.get(acknowledged.size() - 1).index()
                    && node.view().isLeader());
            assertSameState(node, lease);
            CommittedValue next = node.proposeFuture(bytes("after")).get(60, TimeUnit.SECONDS);
            assertThat(next.index()).isGreaterThan(acknowledged.get(acknowledged.size() - 1).index());
        }
        Map<Long, String> catalogAfter = ArchiveCleanup.catalogStates(archiveDir());
        Set<Long> named = new HashSet<>();
        entries().forEach(e -> named.add(e.recordingId));
        catalogAfter.forEach((id, state) -> {
            if (!"VALID".equals(state)) {
                return; // purged while the last run ran: compacted at the next start
            }
            assertThat(named).as("recording %d is named by recording.log", id).contains(id);
        });
    }

    @Test
    void shouldRewriteTheRecordingLogKeepingEveryFieldAndTheInvalidFlag() throws Exception {
        File cluster = new File(dir, "cluster");
        Files.createDirectories(cluster.toPath());
        try (RecordingLog log = new RecordingLog(cluster, true)) {
            log.appendTerm(7, 0, 0, 1_000);
            log.appendSnapshot(11, 0, 0, 4_096, 2_000, 0);
            log.appendSnapshot(12, 0, 0, 4_096, 2_000, ConsensusModule.Configuration.SERVICE_ID);
            log.appendTerm(7, 1, 8_192, 3_000);
            log.appendSnapshot(13, 1, 8_192, 9_000, 4_000, 0);
            log.appendSnapshot(14, 1, 8_192, 9_000, 4_000, ConsensusModule.Configuration.SERVICE_ID);
            assertThat(log.invalidateLatestSnapshot()).isTrue();
        }
        List<RecordingLog.Entry> original;
        try (RecordingLog log = new RecordingLog(cluster, false)) {
            original = new ArrayList<>(log.entries());
        }
        assertThat(original).filteredOn(e -> !e.isValid).hasSize(2);

        ArchiveCleanup.rewrite(cluster, original);

        try (RecordingLog log = new RecordingLog(cluster, false)) {
            List<RecordingLog.Entry> read = log.entries();
            assertThat(read).hasSize(original.size());
            for (int i = 0; i < read.size(); i++) {
                RecordingLog.Entry a = original.get(i);
                RecordingLog.Entry b = read.get(i);
                assertThat(List.of(b.recordingId, b.leadershipTermId, b.termBaseLogPosition, b.logPosition, b.timestamp,
                        (long) b.serviceId, (long) b.type)).as("entry %d", i)
                        .isEqualTo(List.of(a.recordingId, a.leadershipTermId, a.termBaseLogPosition, a.logPosition,
                                a.timestamp, (long) a.serviceId, (long) a.type));
                assertThat(b.isValid).as("entry %d valid", i).isEqualTo(a.isValid);
            }
            // the consensus module appends after a rewritten file as after its own
            log.appendTerm(7, 2, 10_000, 5_000);
            log.appendSnapshot(15, 2, 10_000, 11_000, 6_000, 0);
            log.appendSnapshot(16, 2, 10_000, 11_000, 6_000, ConsensusModule.Configuration.SERVICE_ID);
        }
        try (RecordingLog log = new RecordingLog(cluster, false)) {
            assertThat(log.entries()).hasSize(original.size() + 3);
            assertThat(log.findLastTerm().leadershipTermId).isEqualTo(2);
            assertThat(log.getLatestSnapshot(0).recordingId).isEqualTo(15);
        }
        assertThat(new File(cluster, RecordingLog.RECORDING_LOG_FILE_NAME + ".tmp")).doesNotExist();
    }

    @Test
    void shouldDropOnlySnapshotEntriesBeforeTheOldestRetainedSnapshot() {
        RecordingLog.Entry term = entry(1, 0, RecordingLog.ENTRY_TYPE_TERM, 0, true);
        RecordingLog.Entry oldSnap = entry(2, 4_096, RecordingLog.ENTRY_TYPE_SNAPSHOT, 0, false);
        RecordingLog.Entry kept = entry(3, 8_192, RecordingLog.ENTRY_TYPE_SNAPSHOT, 0, true);
        RecordingLog.Entry standby = entry(4, 100, RecordingLog.ENTRY_TYPE_STANDBY_SNAPSHOT, 0, true);
        assertThat(ArchiveCleanup.droppable(term, 8_192)).isFalse();
        assertThat(ArchiveCleanup.droppable(oldSnap, 8_192)).isTrue();
        assertThat(ArchiveCleanup.droppable(kept, 8_192)).isFalse();
        assertThat(ArchiveCleanup.droppable(standby, 8_192)).isFalse();
    }

    private static RecordingLog.Entry entry(long recordingId, long logPosition, int type, int serviceId, boolean valid) {
        return new RecordingLog.Entry(recordingId, 0, 0, logPosition, 0, serviceId, type,
                type == RecordingLog.ENTRY_TYPE_STANDBY_SNAPSHOT ? "localhost:1" : null, valid, -1L, 0);
    }

    @Test
    void shouldDoNothingWhenTheArchiveKeepsEverything() {
        assertThat(ArchiveCleanup.run("node-0", new File(dir, "cluster"), new File(dir, "archive"), 0))
                .isEqualTo(ArchiveCleanup.Result.NONE);
    }

    @Test
    void shouldLeaveTheFilesAsTheyWereAndStartWhenTheCleanUpFails() throws Exception {
        // a recording.log naming snapshots to drop, next to a catalog Aeron cannot read
        File cluster = new File(dir, "cluster");
        File archive = new File(dir, "archive");
        Files.createDirectories(cluster.toPath());
        Files.createDirectories(archive.toPath());
        try (RecordingLog log = new RecordingLog(cluster, true)) {
            log.appendTerm(0, 0, 0, 1_000);
            for (int i = 0; i < 4; i++) {
                log.appendSnapshot(1 + 2 * i, 0, 0, 1_000 * (i + 1), 2_000 + i, 0);
                log.appendSnapshot(2 + 2 * i, 0, 0, 1_000 * (i + 1), 2_000 + i, ConsensusModule.Configuration.SERVICE_ID);
            }
        }
        byte[] logBefore = Files.readAllBytes(new File(cluster, RecordingLog.RECORDING_LOG_FILE_NAME).toPath());
        Files.writeString(new File(archive, ArchiveCleanup.CATALOG_FILE_NAME).toPath(), "not a catalog");

        assertThat(ArchiveCleanup.run("node-0", cluster, archive, 2)).isEqualTo(ArchiveCleanup.Result.NONE);
        assertThat(Files.readAllBytes(new File(cluster, RecordingLog.RECORDING_LOG_FILE_NAME).toPath()))
                .as("recording.log untouched").isEqualTo(logBefore);
        assertThat(new File(archive, ArchiveCleanup.CATALOG_FILE_NAME)).hasContent("not a catalog");
    }

    @Test
    void shouldRestoreTheCatalogLeftByAnInterruptedCompaction() throws Exception {
        File archive = new File(dir, "archive");
        Files.createDirectories(archive.toPath());
        File catalog = new File(archive, ArchiveCleanup.CATALOG_FILE_NAME);
        File compact = new File(archive, ArchiveCleanup.CATALOG_FILE_NAME + ArchiveCleanup.COMPACT_SUFFIX);

        Files.writeString(compact.toPath(), "compacted");
        ArchiveCleanup.recoverInterruptedCompaction(archive);
        assertThat(compact).doesNotExist();
        assertThat(catalog).hasContent("compacted");

        Files.writeString(compact.toPath(), "half written");
        ArchiveCleanup.recoverInterruptedCompaction(archive);
        assertThat(compact).doesNotExist();
        assertThat(catalog).hasContent("compacted");
    }

    @Test
    void shouldRefuseASecondNodeOnTheSameDirectory() {
        try (NodeDirLock first = NodeDirLock.acquire(dir)) {
            assertThatThrownBy(() -> NodeDirLock.acquire(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("in use");
        }
        NodeDirLock.acquire(dir).close(); // released with the first
    }
}
