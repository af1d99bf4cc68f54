package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeliveryGuarantee;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.Priority;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DeadLetterStoreTest extends DeadLetterTestSupport {

    @Test
    void shouldRoundTripRecordListAndGet() throws IOException {
        DeadLetterStore store = open();
        PhasePacket<String> onChannel = stamped(PhasePacket.builder("order 17").channel("orders").priority(Priority.HIGH)
                .targets(ComponentId.of(9), ComponentId.of(12)).guaranteed(5).timeout(250 * MS).source(ComponentId.of(8)).build(), 40);
        PhasePacket<Integer> typed = stamped(PhasePacket.of(42, ComponentId.SYSTEM), 41);
        PhasePacket<byte[]> bytes = stamped(PhasePacket.builder(new byte[] {1, 2, 3}).channel("raw").build(), 42);

        long a = store.record(onChannel, "retries exhausted for sub-3 (queue full)", new SubscriptionId(3), null);
        now.addAndGet(1_000);
        long b = store.record(typed, "handler failed", new SubscriptionId(4), new IllegalStateException("boom in handler"));
        long c = store.record(bytes, "bus stopping", null, null);

        assertThat(List.of(a, b, c)).containsExactly(0L, 1L, 2L);
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.firstSequence()).isZero();
        assertThat(store.nextSequence()).isEqualTo(3);

        DeadLetterEntry e = store.get(0);
        assertThat(e.sequence()).isZero();
        assertThat(e.messageId()).isEqualTo(onChannel.messageId());
        assertThat(e.messageIdValue()).isEqualTo(onChannel.messageIdValue());
        assertThat(e.timestamp()).isEqualTo(onChannel.timestamp());
        assertThat(e.channel()).isEqualTo("orders");
        assertThat(e.isTyped()).isFalse();
        assertThat(e.payloadType()).isEqualTo("java.lang.String");
        assertThat(e.payloadText()).isEqualTo("order 17");
        assertThat(e.source()).isEqualTo(ComponentId.of(8));
        assertThat(e.priority()).isEqualTo(Priority.HIGH);
        assertThat(e.delivery().guarantee()).isEqualTo(DeliveryGuarantee.GUARANTEED);
        assertThat(e.delivery().maxRetries()).isEqualTo(5);
        assertThat(e.delivery().timeoutNanos()).isEqualTo(250 * MS);
        assertThat(e.targetMask()).isEqualTo(ComponentId.maskOf(ComponentId.of(9), ComponentId.of(12)));
        assertThat(e.reason()).isEqualTo("retries exhausted for sub-3 (queue full)");
        assertThat(e.subscription()).isEqualTo("sub-3");
        assertThat(e.cause()).isNull();
        assertThat(e.recordedAtNanos()).isEqualTo(1_700_000_000_000_000_000L);
        assertThat(e.replayable()).isTrue();
        assertThat(e.notReplayableReason()).isNull();
        assertThat(e.isReplayed()).isFalse();
        assertThat(e.replayedAs()).isNull();

        DeadLetterEntry t = store.get(1);
        assertThat(t.isTyped()).isTrue();
        assertThat(t.payloadType()).isEqualTo("java.lang.Integer");
        assertThat(t.cause()).startsWith("java.lang.IllegalStateException: boom in handler").contains("at ");
        assertThat(t.recordedAtNanos()).isEqualTo(1_700_000_000_000_001_000L);
        assertThat(store.get(2).payloadText()).isEqualTo("byte[3] 010203");
        assertThat(store.get(2).subscription()).isNull();

        assertThat(store.list(0, 10)).extracting(DeadLetterEntry::sequence).containsExactly(0L, 1L, 2L);
        assertThat(store.list(1, 1)).extracting(DeadLetterEntry::sequence).containsExactly(1L);
        assertThat(store.list(3, 10)).isEmpty();
        assertThat(store.latest(2)).extracting(DeadLetterEntry::sequence).containsExactly(1L, 2L);
        assertThat(store.latest(0)).isEmpty();
        assertThatThrownBy(() -> store.list(0, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> store.get(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No dead letter 7: the log holds 3 entries, sequences 0 to 2");
    }

    @Test
    void shouldNameTheNextSequenceWhenAskedForAnEntryOfAnEmptyLog() throws IOException {
        DeadLetterStore store = open();
        assertThatThrownBy(() -> store.get(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No dead letter 0: the log is empty (the next entry gets sequence 0)");
    }

    @Test
    void shouldSurviveAReopenWithEntriesMarkersAndSequencesContinuing() throws IOException {
        DeadLetterStore store = open();
        for (int i = 0; i < 3; i++) {
            store.record(stamped(PhasePacket.builder("p" + i).channel("c").guaranteed(2).build(), i), "reason " + i, null, null);
        }
        RecordingBus bus = new RecordingBus();
        MessageId replayedAs = store.replay(1, false, bus);
        store.close();

        DeadLetterStore again = open();
        assertThat(again.recoveryReport()).isNull();
        assertThat(again.size()).isEqualTo(3);
        assertThat(again.list(0, 10)).extracting(DeadLetterEntry::payloadText).containsExactly("p0", "p1", "p2");
        assertThat(again.get(1).replayedAs()).isEqualTo(replayedAs);
        assertThat(again.get(1).replayCount()).isEqualTo(1);
        assertThat(again.get(0).isReplayed()).isFalse();
        assertThatThrownBy(() -> again.replay(1, false, bus)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already replayed as message " + replayedAs);
        assertThat(again.record(stamped(PhasePacket.of("p3", ComponentId.SYSTEM), 3), "later", null, null)).isEqualTo(3);

        // cleared: the sequences still never repeat, also after another restart
        assertThat(again.clear()).isEqualTo(4);
        assertThat(again.size()).isZero();
        assertThat(again.firstSequence()).isEqualTo(4);
        again.close();
        DeadLetterStore third = open();
        assertThat(third.size()).isZero();
        assertThat(third.nextSequence()).isEqualTo(4);
        assertThat(third.record(stamped(PhasePacket.of("p4", ComponentId.SYSTEM), 4), "after clear", null, null)).isEqualTo(4);
    }

    @Test
    void shouldCutATornTailOffAndWriteOnAfterIt() throws IOException {
        DeadLetterStore store = open();
        for (int i = 0; i < 3; i++) {
            store.record(stamped(PhasePacket.of("p" + i, ComponentId.SYSTEM), i), "r", null, null);
        }
        store.close();
        Path seg = segmentFiles().get(0);
        long good = Files.size(seg);
        // a crash in the middle of the next write: a frame that claims 300 bytes, 12 of them written
        ByteBuffer torn = ByteBuffer.allocate(20).putInt(300).putInt(0x1234).put(new byte[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3});
        Files.write(seg, torn.array(), StandardOpenOption.APPEND);

        DeadLetterStore again = open();
        assertThat(again.recoveryReport()).contains("torn record (20 bytes at the end of " + seg.getFileName()).contains("cut off");
        assertThat(Files.size(seg)).isEqualTo(good);
        assertThat(again.size()).isEqualTo(3);
        assertThat(again.record(stamped(PhasePacket.of("p3", ComponentId.SYSTEM), 3), "r", null, null)).isEqualTo(3);
        again.close();

        DeadLetterStore third = open();
        assertThat(third.recoveryReport()).isNull();
        assertThat(third.list(0, 10)).extracting(DeadLetterEntry::payloadText).containsExactly("p0", "p1", "p2", "p3");
    }

    @Test
    void shouldCutALastRecordThatWasWrittenOnlyInPart() throws IOException {
        DeadLetterStore store = open();
        for (int i = 0; i < 3; i++) {
            store.record(stamped(PhasePacket.of("p" + i, ComponentId.SYSTEM), i), "r", null, null);
        }
        store.close();
        Path seg = segmentFiles().get(0);
        byte[] content = Files.readAllBytes(seg);
        int last = recordPositions(content).get(2);
        Files.write(seg, java.util.Arrays.copyOf(content, content.length - 5));

        DeadLetterStore again = open();
        assertThat(again.recoveryReport()).contains("torn record");
        assertThat(Files.size(seg)).isEqualTo(last);
        assertThat(again.list(0, 10)).extracting(DeadLetterEntry::sequence).containsExactly(0L, 1L);
        // the torn entry never returned from record(): its sequence may be given again
        assertThat(again.nextSequence()).isEqualTo(2);
    }

    @Test
    void shouldSkipAndReportACorruptRecordInTheMiddle() throws IOException {
        DeadLetterStore store = open();
        for (int i = 0; i < 5; i++) {
            store.record(stamped(PhasePacket.of("payload number " + i, ComponentId.SYSTEM), i), "r", null, null);
        }
        store.close();
        Path seg = segmentFiles().get(0);
        byte[] content = Files.readAllBytes(seg);
        int third = recordPositions(content).get(2);
        content[third + DeadLetterStore.FRAME + 40] ^= 0x5A;
        Files.write(seg, content);

        DeadLetterStore again = open();
        assertThat(again.recoveryReport()).contains("skipped a corrupt record").contains("at byte " + third)
                .doesNotContain("torn");
        assertThat(again.size()).isEqualTo(4);
        assertThat(again.list(0, 10)).extracting(DeadLetterEntry::sequence).containsExactly(0L, 1L, 3L, 4L);
        assertThatThrownBy(() -> again.get(2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No dead letter 2");
        assertThat(again.nextSequence()).isEqualTo(5);
        // the corrupt record stays on disk, untouched
        assertThat(Files.size(seg)).isEqualTo(content.length);
    }

    @Test
    void shouldEvictTheOldestSegmentsWhenOverTheEntryBoundAndCountThem() throws IOException {
        DeadLetterStore store = open(bounded(10, DeadLetterStore.MIN_MAX_BYTES * 16));
        for (int i = 0; i < 30; i++) {
            store.record(stamped(PhasePacket.of("p" + i, ComponentId.SYSTEM), i), "r", null, null);
        }
        assertThat(store.size()).isBetween(8L, 10L);
        assertThat(store.evicted()).isEqualTo(30 - store.size());
        assertThat(store.firstSequence()).isEqualTo(30 - store.size());
        assertThat(store.latest(1).get(0).sequence()).isEqualTo(29);
        assertThatThrownBy(() -> store.get(0)).hasMessageContaining("sequences " + store.firstSequence() + " to 29");
        assertThat(segmentFiles()).hasSizeLessThanOrEqualTo(6);
        long held = store.size();
        store.close();

        DeadLetterStore again = open(bounded(10, DeadLetterStore.MIN_MAX_BYTES * 16));
        assertThat(again.size()).isEqualTo(held);
        assertThat(again.nextSequence()).isEqualTo(30);
    }

    @Test
    void shouldEvictTheOldestSegmentsWhenOverTheByteBound() throws IOException {
        long maxBytes = DeadLetterStore.MIN_MAX_BYTES;
        DeadLetterStore store = open(bounded(100_000, maxBytes));
        String big = "x".repeat(2000);
        for (int i = 0; i < 100; i++) {
            store.record(stamped(PhasePacket.of(big + i, ComponentId.SYSTEM), i), "r", null, null);
        }
        long onDisk = 0;
        for (Path p : segmentFiles()) {
            onDisk += Files.size(p);
        }
        assertThat(store.bytes()).isEqualTo(onDisk).isLessThanOrEqualTo(maxBytes);
        assertThat(store.evicted()).isPositive().isEqualTo(100 - store.size());
        assertThat(store.latest(1).get(0).payloadText()).isEqualTo(big + 99);
    }

    @Test
    void shouldKeepANonSerializablePayloadAsTextAndReplayItOnlyWhileTheObjectIsInMemory() throws IOException {
        DeadLetterStore store = open(withLive(10));
        NotSerializable payload = new NotSerializable(7);
        store.record(stamped(PhasePacket.builder(payload).channel("odd").build(), 0), "r", null, null);
        DeadLetterEntry e = store.get(0);
        assertThat(e.payloadType()).isEqualTo(NotSerializable.class.getName());
        assertThat(e.payloadText()).isEqualTo("NotSerializable[7]");
        assertThat(e.replayable()).isTrue();
        assertThat(store.textOnly()).isEqualTo(1);

        RecordingBus bus = new RecordingBus();
        store.replay(0, false, bus);
        assertThat(bus.published).hasSize(1);
        assertThat(bus.published.get(0).payload()).isSameAs(payload);
        store.close();

        DeadLetterStore again = open(withLive(10));
        DeadLetterEntry after = again.get(0);
        assertThat(after.replayable()).isFalse();
        assertThat(after.notReplayableReason()).contains("payload " + NotSerializable.class.getName() + " is not Serializable")
                .contains("no longer in memory");
        assertThatThrownBy(() -> again.replay(0, true, bus)).isInstanceOf(io.chronofabric.api.core.SerializationException.class)
                .hasMessageContaining(NotSerializable.class.getName());
        assertThat(bus.published).hasSize(1);
    }

    @Test
    void shouldNotReplayATextOnlyPayloadWhenNoObjectsAreKept() throws IOException {
        DeadLetterStore store = open(withLive(0));
        store.record(stamped(PhasePacket.of(new NotSerializable(1), ComponentId.SYSTEM), 0), "r", null, null);
        assertThat(store.get(0).replayable()).isFalse();
    }

    @Test
    void shouldRestoreSerializableStringAndPrimitivePayloadsAfterARestart() throws IOException {
        DeadLetterStore store = open();
        Order order = new Order("A-17", 3);
        store.record(stamped(PhasePacket.of(order, ComponentId.SYSTEM), 0), "r", null, null);
        store.record(stamped(PhasePacket.of("text", ComponentId.SYSTEM), 1), "r", null, null);
        store.record(stamped(PhasePacket.of(12.5d, ComponentId.SYSTEM), 2), "r", null, null);
        store.record(stamped(PhasePacket.of(new byte[] {9, 8}, ComponentId.SYSTEM), 3), "r", null, null);
        store.record(stamped(PhasePacket.of('z', ComponentId.SYSTEM), 4), "r", null, null);
        store.close();

        DeadLetterStore again = open();
        RecordingBus bus = new RecordingBus();
        for (long s = 0; s < 5; s++) {
            assertThat(again.get(s).replayable()).isTrue();
            again.replay(s, false, bus);
        }
        assertThat(bus.published.stream().limit(3).map(p -> (Object) p.payload()).toList()).containsExactly(order, "text", 12.5d);
        assertThat(bus.published.get(0).payload()).isNotSameAs(order).isEqualTo(order);
        assertThat((byte[]) bus.published.get(3).payload()).containsExactly(9, 8);
        assertThat(bus.published.get(4).payload()).isEqualTo('z');
    }

    @Test
    void shouldRecordAPayloadWhoseToStringThrows() throws IOException {
        DeadLetterStore store = open();
        Object bad = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no text");
            }
        };
        long s = store.record(stamped(PhasePacket.of(bad, ComponentId.SYSTEM), 0), "r", null, null);
        assertThat(s).isZero();
        assertThat(store.get(0).payloadText()).startsWith("<toString() threw java.lang.IllegalStateException: no text");
    }

    @Test
    void shouldLoseNothingWhenFourThreadsRecordAtOnce() throws Exception {
        DeadLetterStore store = open();
        int threads = 4;
        int each = 2_500;
        CountDownLatch start = new CountDownLatch(1);
        List<Long> sequences = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    long seq = id * each + i;
                    sequences.add(store.record(stamped(PhasePacket.of("t" + id + "-" + i, ComponentId.SYSTEM), seq), "r", null, null));
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join(60_000);
        }
        assertThat(sequences).hasSize(threads * each).doesNotContain(DeadLetterSink.NOT_RECORDED);
        assertThat(new HashSet<>(sequences)).hasSize(threads * each);
        assertThat(store.size()).isEqualTo(threads * each);
        store.close();

        DeadLetterStore again = open();
        assertThat(again.size()).isEqualTo(threads * each);
        Set<Long> ids = new HashSet<>();
        for (long from = 0; from < threads * each; from += 1000) {
            again.list(from, 1000).forEach(e -> ids.add(e.messageId().sequence()));
        }
        assertThat(ids).hasSize(threads * each);
        assertThat(ids).allMatch(i -> i >= 0 && i < threads * each);
    }

    @Test
    void shouldReturnNotRecordedAndReportTheErrorWhenWritesFail() throws IOException {
        DeadLetterStore store = open(bounded(8, DeadLetterStore.MIN_MAX_BYTES));
        assertThat(store.record(stamped(PhasePacket.of("ok", ComponentId.SYSTEM), 0), "r", null, null)).isZero();
        // the directory goes away: the next record needs a new segment (one entry per segment here)
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);

        long s = store.record(stamped(PhasePacket.of("lost", ComponentId.SYSTEM), 1), "r", null, null);
        assertThat(s).isEqualTo(DeadLetterSink.NOT_RECORDED);
        assertThat(store.lastWriteFailed()).isTrue();
        assertThat(store.lastWriteError()).contains(dir.toString());
        assertThat(store.nextSequence()).isEqualTo(1);

        Files.createDirectories(dir);
        assertThat(store.record(stamped(PhasePacket.of("back", ComponentId.SYSTEM), 2), "r", null, null)).isEqualTo(1);
        assertThat(store.lastWriteFailed()).isFalse();
        assertThat(store.writeFailures()).isEqualTo(1);
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameDirectory() throws IOException {
        open();
        assertThatThrownBy(() -> DeadLetterStore.open(DeadLetterStore.Options.defaults(dir), now::get, Class::forName))
                .isInstanceOf(Exception.class).hasMessageContaining(dir.toString());
    }

    @Test
    void shouldRecordAnUnstampedPacketWithoutIdOrTime() throws IOException {
        DeadLetterStore store = open();
        store.record(PhasePacket.of("refused", ComponentId.SYSTEM), "bus stopping", null, null);
        DeadLetterEntry e = store.get(0);
        assertThat(e.messageId()).isNull();
        assertThat(e.timestamp()).isNull();
        assertThat(e.reason()).isEqualTo("bus stopping");
    }

    static final class NotSerializable {
        final int value;

        NotSerializable(int value) {
            this.value = value;
        }

        @Override
        public String toString() {
            return "NotSerializable[" + value + "]";
        }
    }

    record Order(String id, int quantity) implements java.io.Serializable {
    }

    static LogicalTime t(long p) {
        return new LogicalTime(p, 0, 1);
    }
}
