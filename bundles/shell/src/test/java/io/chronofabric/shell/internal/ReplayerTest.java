package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.ledger.ConsistencyProof;
import io.chronofabric.api.ledger.InclusionProof;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.ledger.SignedTreeHead;
import io.chronofabric.api.ledger.VerificationReport;
import io.chronofabric.api.patterns.ReplayedPacket;
import io.chronofabric.ledger.record.RecordedPacket;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayerTest {

    /** Entries in a list; only what a replay reads. */
    static final class ListLedger implements SecureImmutableLedger {
        final List<byte[]> entries = new ArrayList<>();

        @Override
        public long append(byte[] entry) {
            entries.add(entry.clone());
            return entries.size() - 1;
        }

        @Override
        public long appendBatch(List<byte[]> batch) {
            long first = entries.size();
            batch.forEach(this::append);
            return first;
        }

        @Override
        public long size() {
            return entries.size();
        }

        @Override
        public byte[] get(long index) {
            return entries.get((int) index).clone();
        }

        @Override
        public byte[] rootHash() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] rootHash(long treeSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SignedTreeHead signedTreeHead() {
            throw new UnsupportedOperationException();
        }

        @Override
        public InclusionProof inclusionProof(long leafIndex, long treeSize) {
            throw new UnsupportedOperationException();
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

    /** Collects what is published. */
    static final class CollectingBus implements EventBusTx {
        final List<PhasePacket<?>> published = new ArrayList<>();

        @Override
        public long publish(PhasePacket<?> packet) {
            published.add(packet);
            return published.size();
        }

        @Override
        public long[] publishBatch(List<? extends PhasePacket<?>> packets) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PublishStatus tryPublish(PhasePacket<?> packet) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long publishWithDeadline(PhasePacket<?> packet, long deadlineNanos) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int subscriberCount(Class<?> type) {
            return 0;
        }

        @Override
        public int subscriberCount(String channel) {
            return 0;
        }

        @Override
        public BusStats stats() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isHealthy() {
            return true;
        }
    }

    private final ListLedger ledger = new ListLedger();
    private final CollectingBus bus = new CollectingBus();
    private final List<Long> waits = new ArrayList<>();
    private final Replayer replayer = new Replayer(ledger, bus, () -> 1_000L, waits::add);

    private void record(String channel, long physical, long id, String payload) {
        ledger.append(new RecordedPacket(channel, new LogicalTime(physical, 0, 1), id, "java.lang.String",
                payload.getBytes(StandardCharsets.UTF_8)).encode());
    }

    private void fill() {
        record("orders", 100, 11, "o1");        // 0
        record("sensors", 101, 12, "s1");       // 1
        ledger.append("plain entry".getBytes(StandardCharsets.UTF_8)); // 2
        record("orders", 102, 13, "o2");        // 3
        record("orders", 103, 14, "o3");        // 4
    }

    @Test
    void shouldRepublishTheChannelsPacketsWithTheirOriginalTimeAndId() {
        fill();

        Replayer.Result r = replayer.replay("orders", -1, -1, "orders.replay", 0);

        assertThat(r).isEqualTo(new Replayer.Result(3, 1, 1, 0, 4, false));
        assertThat(bus.published).extracting(PhasePacket::channel).containsOnly("orders.replay");
        assertThat(bus.published).extracting(p -> (ReplayedPacket) p.payload()).satisfiesExactly(
                p -> {
                    assertThat(p.ledgerIndex()).isZero();
                    assertThat(p.originalTime()).isEqualTo(new LogicalTime(100, 0, 1));
                    assertThat(p.originalMessageId()).isEqualTo(11);
                    assertThat(p.payloadText()).isEqualTo("o1");
                    assertThat(p.channel()).isEqualTo("orders");
                },
                p -> assertThat(p.ledgerIndex()).isEqualTo(3),
                p -> assertThat(p.payloadText()).isEqualTo("o3"));
        assertThat(ReplayCommand.describe("orders", "orders.replay", r))
                .isEqualTo("Replayed 3 packets of channel orders into orders.replay (ledger entries 0..4; skipped 1 of other channels, 1 not recorded packets)");
    }

    @Test
    void shouldReplayOnlyTheGivenRangeInclusive() {
        fill();

        Replayer.Result r = replayer.replay("orders", 1, 3, "x", 0);

        assertThat(r.replayed()).isEqualTo(1);
        assertThat(((ReplayedPacket) bus.published.get(0).payload()).ledgerIndex()).isEqualTo(3);
    }

    @Test
    void shouldSayTheSizeWhenTheRangeIsPastTheLedgersEnd() {
        fill();

        assertThatThrownBy(() -> replayer.replay("orders", 5, -1, "x", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--from 5 is past the ledger's end: it holds 5 entries (0..4)");
        assertThatThrownBy(() -> replayer.replay("orders", 0, 9, "x", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--to 9 is past the ledger's end: it holds 5 entries (0..4)");
        assertThatThrownBy(() -> replayer.replay("orders", 3, 1, "x", 0)).hasMessage("--from 3 is after --to 1");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void shouldSayWhenTheLedgerIsEmpty() {
        assertThatThrownBy(() -> replayer.replay("orders", -1, -1, "x", 0)).hasMessageContaining("empty");
    }

    @Test
    void shouldPaceAtTheGivenRate() {
        fill();

        replayer.replay("orders", -1, -1, "x", 4);

        // start at 1000 ns, 250 ms apart, no wait before the first packet
        assertThat(waits).containsExactly(1_000L + 250_000_000L, 1_000L + 500_000_000L);
    }

    @Test
    void shouldStopWhenInterruptedWhileWaiting() {
        fill();
        Replayer interrupted = new Replayer(ledger, bus, () -> 0L, t -> {
            throw new InterruptedException();
        });

        Replayer.Result r = interrupted.replay("orders", -1, -1, "x", 10);

        assertThat(r.interrupted()).isTrue();
        assertThat(r.replayed()).isEqualTo(1);
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void shouldRefuseANegativeRate() {
        fill();
        assertThatThrownBy(() -> replayer.replay("orders", -1, -1, "x", -1)).hasMessageContaining("--rate -1.0");
    }

    @Test
    void shouldReadOptionsWrittenAfterTheChannel() {
        ReplayCommand c = new ReplayCommand();
        c.trailing = List.of("--from", "3", "--to", "7", "--into", "elsewhere", "--rate", "2.5");

        c.applyTrailing();

        assertThat(c.from).isEqualTo(3);
        assertThat(c.to).isEqualTo(7);
        assertThat(c.into).isEqualTo("elsewhere");
        assertThat(c.rate).isEqualTo(2.5);
    }

    @Test
    void shouldNameABadTrailingOption() {
        ReplayCommand c = new ReplayCommand();
        c.trailing = List.of("--speed", "3");
        assertThatThrownBy(c::applyTrailing).hasMessageContaining("Unknown option --speed");
        c.trailing = List.of("--from");
        assertThatThrownBy(c::applyTrailing).hasMessage("Option --from needs a value");
        c.trailing = List.of("other", "x");
        assertThatThrownBy(c::applyTrailing).hasMessageContaining("Unexpected argument 'other'");
        c.trailing = List.of("--from", "-4");
        assertThatThrownBy(c::applyTrailing).hasMessageContaining("--from -4 is negative");
    }
}
