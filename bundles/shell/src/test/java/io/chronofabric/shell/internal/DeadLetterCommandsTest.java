package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.core.ServiceUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeadLetterCommandsTest {

    @Test
    void shouldParseSequencesAndRangesAndRefuseOthersNamingThem() {
        assertThat(DeadLetterReplayCommand.parse(List.of("12", "3-5", "7,9")))
                .extracting(DeadLetterReplayCommand.Selection::from, DeadLetterReplayCommand.Selection::to,
                        DeadLetterReplayCommand.Selection::single)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(12L, 12L, true), org.assertj.core.groups.Tuple.tuple(3L, 5L, false),
                        org.assertj.core.groups.Tuple.tuple(7L, 7L, true), org.assertj.core.groups.Tuple.tuple(9L, 9L, true));
        assertThatThrownBy(() -> DeadLetterReplayCommand.parse(List.of("x1"))).hasMessageContaining("'x1'");
        assertThatThrownBy(() -> DeadLetterReplayCommand.parse(List.of("9-3"))).hasMessageContaining("'9-3' ends before it starts");
        assertThatThrownBy(() -> DeadLetterReplayCommand.parse(List.of("-3"))).hasMessageContaining("'-3'");
    }

    @Test
    void shouldPrintNewIdsAndRefusalsAndOnlyTheHeldEntriesOfARange() {
        FakeLog log = new FakeLog();
        for (long s = 10; s < 20; s++) {
            log.add(s, s % 2 == 0 ? "even" : "odd");
        }
        log.replay(12, false);
        String text = run(out -> DeadLetterReplayCommand.replay(log, DeadLetterReplayCommand.parse(List.of("11-13", "99")), false, out));
        assertThat(text).contains("11: replayed as 2:2")
                .contains("12: refused: Dead letter 12 was already replayed")
                .contains("13: replayed as 2:3")
                .contains("99: refused: No dead letter 99")
                .contains("Replayed 2, refused 2");
        String forced = run(out -> DeadLetterReplayCommand.replay(log, DeadLetterReplayCommand.parse(List.of("12")), true, out));
        assertThat(forced).contains("12: replayed as 2:4").contains("Replayed 1, refused 0");
        String empty = run(out -> DeadLetterReplayCommand.replay(log, DeadLetterReplayCommand.parse(List.of("30-40")), false, out));
        assertThat(empty).contains("30-40: no dead letters in that range (the log holds sequences 10 to 19)");
    }

    @Test
    void shouldStopAtTheFirstUnavailableBus() {
        FakeLog log = new FakeLog();
        log.add(1, "c");
        log.add(2, "c");
        log.busPresent = false;
        String text = run(out -> DeadLetterReplayCommand.replay(log, DeadLetterReplayCommand.parse(List.of("1-2")), false, out));
        assertThat(text).contains("Stopped: bus unavailable").doesNotContain("2: ").contains("Replayed 0, refused 1");
    }

    @Test
    void shouldListTheNewestOfAChannelAcrossPagesOldestFirst() {
        FakeLog log = new FakeLog();
        for (long s = 0; s < 1200; s++) {
            log.add(s, s % 100 == 0 ? "rare" : "common");
        }
        assertThat(DeadLettersCommand.newest(log, 3, "rare")).extracting(DeadLetterEntry::sequence).containsExactly(900L, 1000L, 1100L);
        assertThat(DeadLettersCommand.newest(log, 2, null)).extracting(DeadLetterEntry::sequence).containsExactly(1198L, 1199L);
        assertThat(DeadLettersCommand.forward(log, 150, 2, "rare")).extracting(DeadLetterEntry::sequence).containsExactly(200L, 300L);
        assertThat(DeadLettersCommand.forward(log, 1190, 50, null)).hasSize(10);
    }

    @Test
    void shouldPrintOneEntryInFull() {
        FakeLog log = new FakeLog();
        log.add(4, "orders");
        String text = run(out -> DeadLettersCommand.printDetails(out, log.get(4)));
        assertThat(text).contains("Dead letter 4").contains("message id    1:4").contains("channel       orders")
                .contains("reason        queue full").contains("replay        replayable (csf:deadletter-replay 4)")
                .contains("cause:").contains("    at somewhere");
    }

    private static String run(java.util.function.Consumer<PrintStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        body.accept(out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** An in-memory log that follows the DeadLetterLog contract closely enough for the commands. */
    static final class FakeLog implements DeadLetterLog {
        final TreeMap<Long, DeadLetterEntry> entries = new TreeMap<>();
        boolean busPresent = true;
        long ids = MessageId.pack(2, 1);

        void add(long seq, String channel) {
            entries.put(seq, new DeadLetterEntry(seq, MessageId.pack(1, seq), channel, "java.lang.String", "p" + seq, ComponentId.SYSTEM,
                    Priority.NORMAL, DeliveryOptions.BEST_EFFORT, -1L, "queue full", "sub-1", "java.lang.RuntimeException: x\n\tat somewhere",
                    new LogicalTime(1000 + seq, 0, 1), 1_700_000_000_000_000_000L, true, null, 0, 0, null));
        }

        @Override
        public long size() {
            return entries.size();
        }

        @Override
        public long firstSequence() {
            return entries.isEmpty() ? nextSequence() : entries.firstKey();
        }

        @Override
        public long nextSequence() {
            return entries.isEmpty() ? 0 : entries.lastKey() + 1;
        }

        @Override
        public List<DeadLetterEntry> list(long fromSequence, int max) {
            return entries.tailMap(fromSequence, true).values().stream().limit(max).toList();
        }

        @Override
        public List<DeadLetterEntry> latest(int max) {
            List<DeadLetterEntry> all = new ArrayList<>(entries.values());
            return all.subList(Math.max(0, all.size() - max), all.size());
        }

        @Override
        public DeadLetterEntry get(long sequence) {
            DeadLetterEntry e = entries.get(sequence);
            if (e == null) {
                throw new IllegalArgumentException("No dead letter " + sequence + ": the log holds sequences " + firstSequence() + " to "
                        + (nextSequence() - 1));
            }
            return e;
        }

        @Override
        public MessageId replay(long sequence, boolean force) {
            DeadLetterEntry e = get(sequence);
            if (e.isReplayed() && !force) {
                throw new IllegalStateException("Dead letter " + sequence + " was already replayed as message " + e.replayedAs());
            }
            if (!busPresent) {
                throw new ServiceUnavailableException("bus", "no EventBusTx service is registered");
            }
            MessageId id = new MessageId(ids++);
            entries.put(sequence, new DeadLetterEntry(e.sequence(), e.messageIdValue(), e.channel(), e.payloadType(), e.payloadText(), e.source(),
                    e.priority(), e.delivery(), e.targetMask(), e.reason(), e.subscription(), e.cause(), e.timestamp(), e.recordedAtNanos(),
                    true, null, e.replayCount() + 1, 5, id));
            return id;
        }

        @Override
        public long clear() {
            long n = entries.size();
            entries.clear();
            return n;
        }
    }
}
