package io.chronofabric.patterns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.patterns.ReplayedPacket;
import io.chronofabric.ledger.record.RecordedPacket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LedgerChannelHistoryTest {

    private final LedgerEventStoreTest.ListLedger ledger = new LedgerEventStoreTest.ListLedger();
    private final LedgerChannelHistory history = new LedgerChannelHistory(ledger);

    private void record(String channel, long time, long id, String text) {
        ledger.append(new RecordedPacket(channel, new LogicalTime(time, 0, 1), id, "java.lang.String",
                text.getBytes(StandardCharsets.UTF_8)).encode());
    }

    private void fill() {
        record("orders", 100, 7, "order-1");                                              // 0
        record("prices", 101, 8, "widget=2.5");                                           // 1
        ledger.append(EventCodec.encode("order-1", 1, "Placed", new byte[] {1}));          // 2: an event store event
        ledger.append("plain application entry".getBytes(StandardCharsets.UTF_8));       // 3
        record("orders", 102, 9, "order-2");                                              // 4
    }

    @Test
    void shouldReadOnlyTheChannelsRecordedPacketsInLedgerOrderWithOriginalTimeAndId() {
        fill();

        List<ReplayedPacket> orders = history.read("orders").toList();

        assertThat(orders).extracting(ReplayedPacket::ledgerIndex).containsExactly(0L, 4L);
        assertThat(orders).extracting(ReplayedPacket::payloadText).containsExactly("order-1", "order-2");
        assertThat(orders).extracting(ReplayedPacket::originalMessageId).containsExactly(7L, 9L);
        assertThat(orders.get(1).originalTime()).isEqualTo(new LogicalTime(102, 0, 1));
        assertThat(orders.get(0).payloadType()).isEqualTo("java.lang.String");
        assertThat(history.read("prices").map(ReplayedPacket::payloadText)).containsExactly("widget=2.5");
    }

    @Test
    void shouldReadAnInclusiveIndexRange() {
        fill();

        assertThat(history.read("orders", 1, 4).map(ReplayedPacket::ledgerIndex)).containsExactly(4L);
        assertThat(history.read("orders", 0, 0).map(ReplayedPacket::ledgerIndex)).containsExactly(0L);
        assertThat(history.read("orders", 1, 3)).isEmpty();
    }

    @Test
    void shouldFixTheRangeWhenCalled() {
        fill();
        Stream<ReplayedPacket> stream = history.read("orders");

        record("orders", 103, 10, "order-3");

        assertThat(stream.map(ReplayedPacket::payloadText)).containsExactly("order-1", "order-2");
        assertThat(history.read("orders").count()).isEqualTo(3);
    }

    @Test
    void shouldGiveAnEmptyStreamForAnEmptyLedger() {
        assertThat(history.read("orders")).isEmpty();
    }

    @Test
    void shouldNameTheLedgersSizeForARangePastItsEnd() {
        fill();

        assertThatThrownBy(() -> history.read("orders", 9, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fromIndex 9 is past the ledger's end: it holds 5 entries (0..4)");
        assertThatThrownBy(() -> history.read("orders", 0, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("toIndex 5 is past the ledger's end: it holds 5 entries (0..4)");
        assertThatThrownBy(() -> history.read("orders", 3, 2)).hasMessage("fromIndex 3 is after toIndex 2");
        assertThatThrownBy(() -> history.read("orders", -1, 2)).hasMessage("fromIndex -1 is negative");
        assertThatThrownBy(() -> history.read("bad channel", 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
