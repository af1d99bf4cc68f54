package io.chronofabric.patterns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.ledger.ConsistencyProof;
import io.chronofabric.api.ledger.InclusionProof;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.ledger.SignedTreeHead;
import io.chronofabric.api.ledger.VerificationReport;
import io.chronofabric.api.patterns.AppendResult;
import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.EventProof;
import io.chronofabric.api.patterns.EventStore;
import io.chronofabric.api.patterns.StoredEvent;
import io.chronofabric.api.patterns.WrongExpectedVersionException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LedgerEventStoreTest {

    /** Entries in a list; proofs are markers naming what was asked. */
    static final class ListLedger implements SecureImmutableLedger {
        final List<byte[]> entries = new ArrayList<>();

        @Override
        public synchronized long append(byte[] entry) {
            entries.add(entry.clone());
            return entries.size() - 1;
        }

        @Override
        public synchronized long appendBatch(List<byte[]> batch) {
            long first = entries.size();
            batch.forEach(e -> entries.add(e.clone()));
            return first;
        }

        @Override
        public synchronized long size() {
            return entries.size();
        }

        @Override
        public synchronized byte[] get(long index) {
            if (index < 0 || index >= entries.size()) {
                throw new IndexOutOfBoundsException("index " + index + ", size " + entries.size());
            }
            return entries.get((int) index).clone();
        }

        @Override
        public byte[] rootHash() {
            return new byte[32];
        }

        @Override
        public byte[] rootHash(long treeSize) {
            return new byte[32];
        }

        @Override
        public synchronized SignedTreeHead signedTreeHead() {
            return new SignedTreeHead(entries.size(), new byte[32], new LogicalTime(1, 0, 1), new byte[64]);
        }

        @Override
        public InclusionProof inclusionProof(long leafIndex, long treeSize) {
            return new InclusionProof(leafIndex, treeSize, List.of());
        }

        @Override
        public ConsistencyProof consistencyProof(long oldSize, long newSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public VerificationReport verify() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PublicKey publicKey() {
            throw new UnsupportedOperationException();
        }
    }

    private final ListLedger ledger = new ListLedger();

    @Test
    void shouldAppendAndReadAStreamFromAVersion() {
        LedgerEventStore store = new LedgerEventStore(ledger);
        ledger.append("someone else's entry".getBytes(StandardCharsets.UTF_8));

        AppendResult r1 = store.append("order-1", 0, List.of(EventData.of("Placed", "{\"qty\":2}"), EventData.of("Paid", "{}")));
        AppendResult r2 = store.append("order-1", 2, List.of(EventData.of("Shipped", "{}")));

        assertThat(r1).isEqualTo(new AppendResult("order-1", 2, 1, 2));
        assertThat(r2).isEqualTo(new AppendResult("order-1", 3, 3, 1));
        assertThat(store.version("order-1")).isEqualTo(3);
        assertThat(store.version("order-2")).isZero();
        assertThat(store.read("order-1", 1)).extracting(StoredEvent::type).containsExactly("Placed", "Paid", "Shipped");
        assertThat(store.read("order-1", 2)).extracting(StoredEvent::version, StoredEvent::ledgerIndex)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 2L), org.assertj.core.groups.Tuple.tuple(3L, 3L));
        assertThat(store.read("order-1", 1).get(0).text()).isEqualTo("{\"qty\":2}");
        assertThat(store.read("order-1", 4)).isEmpty();
        assertThat(store.read("nope", 1)).isEmpty();
        assertThat(store.streams()).containsExactly("order-1");
    }

    @Test
    void shouldNameExpectedAndActualVersionsOnAConflict() {
        LedgerEventStore store = new LedgerEventStore(ledger);
        store.append("cart", 0, List.of(EventData.of("Added", "a")));

        assertThatThrownBy(() -> store.append("cart", 0, List.of(EventData.of("Added", "b"))))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.expected()).isZero();
                    assertThat(e.actual()).isEqualTo(1);
                    assertThat(e.stream()).isEqualTo("cart");
                })
                .hasMessage("Stream 'cart' is at version 1, not the expected version 0; read it again and retry");
        assertThat(ledger.size()).isEqualTo(1);
        assertThat(store.append("cart", EventStore.ANY_VERSION, List.of(EventData.of("Added", "c"))).version()).isEqualTo(2);
    }

    @Test
    void shouldLetOnlyOneOfTwoConcurrentAppendsAtOneVersionWin() throws Exception {
        LedgerEventStore store = new LedgerEventStore(ledger);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                long v = store.version("race");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            store.append("race", v, List.of(EventData.of("Tick", "x")));
                            return true;
                        } catch (WrongExpectedVersionException e) {
                            return false;
                        }
                    }));
                }
                go.countDown();
                int wins = 0;
                for (Future<Boolean> f : results) {
                    wins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(wins).as("round %d", round).isEqualTo(1);
            }
            assertThat(store.version("race")).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRebuildItsIndexFromTheLedger() {
        LedgerEventStore first = new LedgerEventStore(ledger);
        first.append("a", 0, List.of(EventData.of("E", "1")));
        ledger.append("CFE1 but not an event".getBytes(StandardCharsets.UTF_8));
        first.append("b", 0, List.of(EventData.of("E", "2")));
        first.append("a", 1, List.of(EventData.of("E", "3")));

        LedgerEventStore second = new LedgerEventStore(ledger);

        assertThat(second.version("a")).isEqualTo(2);
        assertThat(second.version("b")).isEqualTo(1);
        assertThat(second.read("a", 1)).extracting(StoredEvent::text).containsExactly("1", "3");
        assertThat(second.streams()).containsExactly("a", "b");
    }

    @Test
    void shouldProveAnEventWithTheLedgersProofForItsEntry() {
        LedgerEventStore store = new LedgerEventStore(ledger);
        ledger.append(new byte[] {1});
        store.append("s", 0, List.of(EventData.of("E", "x"), EventData.of("E", "y")));

        EventProof p = store.prove("s", 2);

        assertThat(p.event().ledgerIndex()).isEqualTo(2);
        assertThat(p.entry()).isEqualTo(ledger.get(2));
        assertThat(p.inclusion().leafIndex()).isEqualTo(2);
        assertThat(p.inclusion().treeSize()).isEqualTo(p.treeHead().treeSize()).isEqualTo(3);
        assertThatThrownBy(() -> store.prove("s", 3)).hasMessage("Stream 's' has no event 3: its version is 2");
    }

    @Test
    void shouldRefuseBadArguments() {
        LedgerEventStore store = new LedgerEventStore(ledger);
        assertThatThrownBy(() -> store.append("s", 0, List.of())).hasMessageContaining("no events");
        assertThatThrownBy(() -> store.append("a b", 0, List.of(EventData.of("E", "x")))).hasMessageContaining("Stream name");
        assertThatThrownBy(() -> store.append("s", -2, List.of(EventData.of("E", "x")))).hasMessageContaining("-2");
        assertThatThrownBy(() -> store.read("s", 0)).hasMessageContaining("versions start at 1");
    }
}
