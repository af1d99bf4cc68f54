package io.chronofabric.consensus.aeron.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.LedgerAppend;
import io.chronofabric.api.consensus.MemberStatus;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive purge (issue #14): three nodes on loopback take many proposals and snapshots; each
 * node's archive stays bounded while the log grows far past that bound; a follower that was down
 * meanwhile catches up (the leader kept the log it needed); the whole cluster restarted recovers
 * from its snapshots and the remaining log with the same values, ledger roots and locks, after its
 * start-up clean-up removed the purged snapshots' recording.log entries and catalog descriptors.
 */
class ArchivePurgeTest {

    private static final Duration LONG = Duration.ofSeconds(120);
    private static final int TERM = 64 * 1024;
    private static final int SEGMENT = 64 * 1024;
    private static final int SNAPSHOT_INTERVAL = 2_000;
    private static final int RETAIN_VALUES = 1_000;
    private static final int ROUND = 10_000;
    /** Proposals in flight at once: a follower more than a 64 KiB term behind the leader loses its log image. */
    private static final int WAVE = 200;
    /** Files of a fixed size in every archive: its mark file and catalog (1 MiB each by default). */
    private static final Set<String> FIXED = Set.of("archive-mark.dat", "archive.catalog");
    /**
     * What else a node's archive may hold once purged: 2 snapshots of at most 5,095 values
     * (compaction drops chunks of 4,096) of 100 bytes, 160 bytes each with their headers, in
     * whole 64 KiB segments (832 KiB each), their consensus module halves (a segment each), the
     * log from the older snapshot on (2 intervals of about 250 KB, the batch in progress, a
     * segment): about 2.5 MB. The log written is 60,000 values of at least 116 bytes each.
     */
    private static final long BOUND = 3_000_000;

    @TempDir
    File dir;

    private final AeronConsensus[] nodes = new AeronConsensus[3];
    private Map<Integer, String> members;
    private final List<CommittedValue> acknowledged = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (AeronConsensus n : nodes) {
            CloseHelper.quietClose(n);
        }
    }

    private ConsensusSettings settings(int id) {
        return new ConsensusSettings(id, members, dir, "", 10_000, 1_000, 2_000, 5_000, 10_000, TERM,
                SNAPSHOT_INTERVAL, RETAIN_VALUES, 16_384, 2, SEGMENT);
    }

    private static byte[] value(int i) {
        return String.format("value-%094d", i).getBytes(StandardCharsets.UTF_8); // 100 bytes
    }

    private int awaitLeader(int... among) throws InterruptedException {
        int[] leader = {-1};
        Waits.until(LONG, () -> {
            Optional<String> first = nodes[among[0]].view().leader();
            for (int id : among) {
                if (nodes[id].view().leader().isEmpty() || !nodes[id].view().leader().equals(first)) {
                    return false;
                }
            }
            leader[0] = Integer.parseInt(first.get().substring("node-".length()));
            return nodes[leader[0]] != null && nodes[leader[0]].view().isLeader();
        });
        return leader[0];
    }

    /**
     * Proposes {@code ROUND} values in batches of a snapshot interval, each batch followed by its
     * snapshot (the leader asks for one at most once a second, so a pipelined burst would see few).
     */
    private void proposeRound(AeronConsensus node, int from) throws Exception {
        for (int batch = 0; batch < ROUND; batch += SNAPSHOT_INTERVAL) {
            for (int part = 0; part < SNAPSHOT_INTERVAL; part += WAVE) {
                List<CompletableFuture<CommittedValue>> futures = new ArrayList<>();
                for (int i = 0; i < WAVE; i++) {
                    futures.add(node.proposeFuture(value(from + batch + part + i)));
                }
                for (CompletableFuture<CommittedValue> f : futures) {
                    acknowledged.add(f.get(60, TimeUnit.SECONDS));
                }
            }
            long last = acknowledged.get(acknowledged.size() - 1).index();
            Waits.until(LONG, () -> node.status().snapshotIndex() >= last - SNAPSHOT_INTERVAL / 2);
        }
    }

    /** The archive's files but the fixed-size ones. */
    private long archiveBytes(int id) {
        File[] files = new File(new File(dir, "node-" + id), "archive").listFiles();
        long total = 0;
        for (File f : files == null ? new File[0] : files) {
            if (!FIXED.contains(f.getName())) {
                total += f.length();
            }
        }
        return total;
    }

    private long fixedBytes(int id) {
        long total = 0;
        for (String name : FIXED) {
            total += new File(new File(new File(dir, "node-" + id), "archive"), name).length();
        }
        return total;
    }

    private String listing(int id) {
        File[] files = new File(new File(dir, "node-" + id), "archive").listFiles();
        StringBuilder sb = new StringBuilder();
        for (File f : files == null ? new File[0] : files) {
            sb.append(f.getName()).append('=').append(f.length()).append(' ');
        }
        return sb.toString();
    }

    @Test
    void shouldKeepTheArchiveBoundedAndRecoverFromSnapshotAndRemainingLog() throws Exception {
        members = Nodes.members(3);
        for (int id = 0; id < 3; id++) {
            nodes[id] = AeronConsensus.start(settings(id));
        }
        int leader = awaitLeader(0, 1, 2);
        List<LedgerAppend> appended = new ArrayList<>();
        var lease = nodes[leader].lock().tryAcquire("res", "owner", Duration.ofHours(1))
                .toCompletableFuture().get(60, TimeUnit.SECONDS).orElseThrow();

        // six rounds of 10,000 values (a snapshot every 2,000): every archive stays under the bound
        int proposed = 0;
        long[][] sizes = new long[6][3];
        for (int round = 0; round < 6; round++) {
            proposeRound(nodes[leader], proposed);
            proposed += ROUND;
            appended.add(nodes[leader].ledger().append(("ledger-" + round).getBytes(StandardCharsets.UTF_8))
                    .toCompletableFuture().get(60, TimeUnit.SECONDS));
            for (int id = 0; id < 3; id++) {
                int n = id;
                try {
                    Waits.until(LONG, () -> archiveBytes(n) < BOUND);
                } catch (AssertionError e) {
                    throw new AssertionError("node-" + n + " archive: " + listing(n) + " status " + nodes[n].status(), e);
                }
                sizes[round][id] = archiveBytes(id);
            }
        }
        long logWritten = nodes[leader].memberStatus().stream().mapToLong(MemberStatus::logPosition).max().orElseThrow();
        System.out.println("archive bytes per round and node: " + Arrays.deepToString(sizes) + ", log written ~" + logWritten);
        assertThat(logWritten).as("the log written outgrows the bound").isGreaterThan(2 * BOUND);
        for (int id = 0; id < 3; id++) {
            assertThat(fixedBytes(id)).as("node-%d mark file and catalog", id).isLessThan(2_200_000);
            AeronConsensus.Status s = nodes[id].status();
            assertThat(s.logStartPosition()).as("node-%d log start %s", id, Arrays.deepToString(sizes))
                    .isGreaterThan(logWritten / 2);
            assertThat(s.segmentsDeleted()).as("node-%d segments deleted", id).isGreaterThan(30);
            assertThat(s.snapshotsDeleted()).as("node-%d old snapshot recordings deleted", id).isGreaterThan(20);
        }

        // a follower down while 10,000 more values and 5 snapshots go by: the others keep the log
        // it needs (their purge waits for it), and it catches up when it comes back
        int follower = (leader + 1) % 3;
        nodes[follower].close();
        nodes[follower] = null;
        proposeRound(nodes[leader], proposed);
        proposed += ROUND;
        appended.add(nodes[leader].ledger().append("ledger-down".getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().get(60, TimeUnit.SECONDS));
        nodes[follower] = AeronConsensus.start(settings(follower));
        long last = acknowledged.get(acknowledged.size() - 1).index();
        Waits.until(LONG, () -> nodes[follower].commitIndex() == last);
        Waits.until(LONG, () -> nodes[follower].ledger().size() == appended.size());
        assertThat(nodes[follower].status().snapshotIndex()).as("recovered from a snapshot").isPositive();

        // everyone restarted: each recovers from its own snapshot and the log after it
        for (int id = 0; id < 3; id++) {
            nodes[id].close();
            nodes[id] = null;
        }
        for (int id = 0; id < 3; id++) {
            nodes[id] = AeronConsensus.start(settings(id));
        }
        for (int id = 0; id < 3; id++) {
            // the purge's leftovers went at the start: the entries of purged snapshots from
            // recording.log, the purged recordings' descriptors from the catalog (ArchiveCleanup)
            ArchiveCleanup.Result r = nodes[id].startupCleanup();
            assertThat(r.entriesAfter()).as("node-%d recording.log entries %s", id, r).isLessThan(r.entriesBefore());
            assertThat(r.descriptorsAfter()).as("node-%d catalog: the log and at most 3 snapshots %s", id, r)
                    .isLessThanOrEqualTo(1 + 2 * 3).isLessThan(r.descriptorsBefore());
        }
        int newLeader = awaitLeader(0, 1, 2);
        for (int id = 0; id < 3; id++) {
            int n = id;
            Waits.until(LONG, () -> nodes[n].commitIndex() == last && nodes[n].ledger().size() == appended.size());
        }
        // the purger looks once a second: each archive's log recording starts past 0
        Waits.until(LONG, () -> IntStream.range(0, 3).allMatch(id -> nodes[id].status().logStartPosition() > 0));
        for (int id = 0; id < 3; id++) {
            AeronConsensus n = nodes[id];
            assertThat(n.firstIndex()).isGreaterThan(0);
            for (long i = n.firstIndex(); i <= last; i++) {
                assertThat(n.get(i)).as("node-%d index %d", id, i).contains(acknowledged.get((int) i));
            }
            for (LedgerAppend a : appended) {
                assertThat(n.ledger().rootHash(a.index() + 1)).as("node-%d ledger root at %d", id, a.index() + 1)
                        .isEqualTo(a.rootHash());
            }
            assertThat(n.lock().holder("res")).contains(lease);
        }
        CommittedValue next = nodes[newLeader].proposeFuture(value(proposed)).get(60, TimeUnit.SECONDS);
        assertThat(next.index()).isEqualTo(last + 1);
        List<MemberStatus> status = nodes[newLeader].memberStatus();
        assertThat(status).hasSize(3);
    }
}
