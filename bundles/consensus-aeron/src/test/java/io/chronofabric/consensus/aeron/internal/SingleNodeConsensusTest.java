package io.chronofabric.consensus.aeron.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.Consensus;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import io.chronofabric.api.consensus.LedgerAppend;
import io.chronofabric.api.consensus.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleNodeConsensusTest {

    @TempDir
    File dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldCommitInOrderLearnFromAnIndexAndLeadItself() throws Exception {
        Map<Integer, String> members = Nodes.members(1);
        try (AeronConsensus node = AeronConsensus.start(Nodes.settings(0, members, dir, 0, 0))) {
            List<CommittedValue> acked = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                acked.add(node.propose(bytes("v" + i)).toCompletableFuture().get(60, TimeUnit.SECONDS));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(acked.get(i).index()).isEqualTo(i);
                assertThat(new String(acked.get(i).value(), StandardCharsets.UTF_8)).isEqualTo("v" + i);
            }
            assertThat(node.commitIndex()).isEqualTo(19);
            assertThat(node.view().isLeader()).isTrue();
            assertThat(node.view().members()).containsExactly("node-0");

            List<CommittedValue> learned = new CopyOnWriteArrayList<>();
            try (Consensus.LearnHandle h = node.learn(15, learned::add)) {
                node.propose(bytes("live")).toCompletableFuture().get(60, TimeUnit.SECONDS);
                Waits.until(Duration.ofSeconds(30), () -> learned.size() == 6);
            }
            assertThat(learned).extracting(CommittedValue::index).containsExactly(15L, 16L, 17L, 18L, 19L, 20L);
            assertThat(learned.get(0)).isEqualTo(acked.get(15));
            assertThat(new String(learned.get(5).value(), StandardCharsets.UTF_8)).isEqualTo("live");
        }
    }

    @Test
    void shouldRestoreFromSnapshotAfterRestartAndRefuseCompactedIndexes() throws Exception {
        Map<Integer, String> members = Nodes.members(1);
        // snapshot every 50 values, keep at least 30 of them (compaction drops whole chunks of 4096)
        ConsensusSettings s = Nodes.settings(0, members, dir, 50, 30);
        List<CommittedValue> acked = new ArrayList<>();
        byte[] ledgerRoot;
        try (AeronConsensus node = AeronConsensus.start(s)) {
            for (int i = 0; i < 10; i++) {
                node.ledger().append(bytes("l" + i)).toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            ledgerRoot = node.ledger().rootHash(10);
            for (int i = 0; i < 5000; i++) {
                acked.add(node.proposeFuture(bytes("s" + i)).get(60, TimeUnit.SECONDS));
            }
            Waits.until(Duration.ofSeconds(60), () -> node.status().snapshotIndex() >= 4900);
            assertThat(node.firstIndex()).isEqualTo(4096);
            assertThatThrownBy(() -> node.learn(10, v -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("before index 4096 were compacted");
        }
        try (AeronConsensus node = AeronConsensus.start(s)) {
            Waits.until(Duration.ofSeconds(60), () -> node.commitIndex() == 4999);
            assertThat(node.ledger().size()).isEqualTo(10);
            assertThat(node.ledger().rootHash(10)).isEqualTo(ledgerRoot);
            assertThat(node.ledger().entry(3)).isEqualTo(bytes("l3"));
            assertThat(node.firstIndex()).isGreaterThan(0);
            for (long i = node.firstIndex(); i < 5000; i++) {
                assertThat(node.get(i)).contains(acked.get((int) i));
            }
            CommittedValue next = node.proposeFuture(bytes("after")).get(60, TimeUnit.SECONDS);
            assertThat(next.index()).isEqualTo(5000);
            assertThat(next.term()).isGreaterThan(acked.get(4999).term());
        }
    }

    @Test
    void shouldApplyBatchedValuesAndLedgerEntriesInOrderWithLocksBetween() throws Exception {
        try (AeronConsensus node = AeronConsensus.start(Nodes.settings(0, Nodes.members(1), dir, 0, 0))) {
            node.proposeFuture(bytes("warm")).get(60, TimeUnit.SECONDS);
            List<CompletableFuture<CommittedValue>> values = new ArrayList<>();
            List<CompletableFuture<LedgerAppend>> appends = new ArrayList<>();
            List<CompletableFuture<Optional<Lease>>> locks = new ArrayList<>();
            LedgerTree expected = new LedgerTree();
            for (int i = 0; i < 2000; i++) {
                values.add(node.proposeFuture(bytes("v" + i)));
                if (i % 10 == 0) {
                    byte[] e = bytes("e" + i);
                    expected.append(e);
                    appends.add(node.ledger().append(e).toCompletableFuture());
                }
                if (i % 500 == 0) {
                    locks.add(node.lock().tryAcquire("lock-" + i, "me", Duration.ofMinutes(5)).toCompletableFuture());
                }
            }
            for (int i = 0; i < values.size(); i++) {
                CommittedValue v = values.get(i).get(60, TimeUnit.SECONDS);
                assertThat(v.index()).isEqualTo(i + 1);
                assertThat(node.get(v.index()).orElseThrow().value()).isEqualTo(bytes("v" + i));
            }
            for (int i = 0; i < appends.size(); i++) {
                LedgerAppend a = appends.get(i).get(60, TimeUnit.SECONDS);
                assertThat(a.index()).isEqualTo(i);
                assertThat(a.rootHash()).isEqualTo(expected.rootHash(i + 1));
            }
            long lastToken = 0;
            for (CompletableFuture<Optional<Lease>> l : locks) {
                Lease lease = l.get(60, TimeUnit.SECONDS).orElseThrow();
                assertThat(lease.fencingToken()).as("fencing tokens stay distinct and increasing").isGreaterThan(lastToken);
                lastToken = lease.fencingToken();
            }
            assertThat(node.batchCount()).as("proposals waiting together shared messages").isPositive();
        }
    }

    @Test
    void shouldRefuseAValueLargerThanAnIngressMessage() {
        ConsensusSettings s = Nodes.settings(0, Nodes.members(1), dir, 0, 0);
        try (AeronConsensus node = AeronConsensus.start(s)) {
            assertThatThrownBy(() -> node.proposeFuture(new byte[64 * 1024]).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exceeds the largest value");
        }
    }
}
