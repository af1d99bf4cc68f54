package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthReport;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dead letters recorded after the log closed, while another log holds the directory: side files and their import. */
class DeadLetterLateRecordTest extends DeadLetterTestSupport {

    private PhasePacket<String> packet(String text, String channel, long id) {
        return stamped(PhasePacket.builder(text).channel(channel).build(), id);
    }

    private Path lateDir() {
        return dir.resolve(DeadLetterStore.LATE_DIR);
    }

    private List<String> lateFiles() throws IOException {
        if (!Files.isDirectory(lateDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(lateDir())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path writeLate(String text, String channel, long id, String reason) throws IOException {
        return DeadLetterStore.writeLate(DeadLetterStore.Options.defaults(dir), packet(text, channel, id), reason, null, null, now.get());
    }

    @Test
    void shouldWriteARecordOfAStoppedComponentToASideFileThatTheLiveStoreImports() throws IOException {
        // the old revision's component: its store was closed at deactivation
        DeadLetterStore old = open();
        old.record(packet("before", "orders", 1), "earlier", null, null);
        DeadLetterLogComponent oldComponent = DeadLetterLogComponent.on(old, null);
        old.close();
        // the new revision's store holds the lock now
        DeadLetterStore live = open();
        assertThat(live.size()).isEqualTo(1);

        PhasePacket<String> lost = packet("order 18", "orders", 2);
        long result = oldComponent.record(lost, "retries exhausted for sub-3 (queue full)", new SubscriptionId(3),
                new IllegalStateException("boom"));

        assertThat(result).as("written to a side file, not lost (the old code reopened the locked dir and failed)")
                .isEqualTo(DeadLetterSink.RECORDED_LATE);
        assertThat(lateFiles()).singleElement().satisfies(n -> assertThat(n).startsWith("late-").endsWith(".dlq"));
        assertThat(live.size()).as("not yet imported").isEqualTo(1);

        assertThat(live.importLate()).isEqualTo(1);

        assertThat(lateFiles()).isEmpty();
        assertThat(live.size()).isEqualTo(2);
        assertThat(live.lateImported()).isEqualTo(1);
        DeadLetterEntry e = live.get(1);
        assertThat(e.channel()).isEqualTo("orders");
        assertThat(e.messageId()).isEqualTo(lost.messageId());
        assertThat(e.payloadText()).isEqualTo("order 18");
        assertThat(e.reason()).isEqualTo("retries exhausted for sub-3 (queue full)");
        assertThat(e.subscription()).isEqualTo("sub-3");
        assertThat(e.cause()).startsWith("java.lang.IllegalStateException: boom");
        assertThat(live.record(packet("next", "orders", 3), "after", null, null)).as("sequences go on after the import").isEqualTo(2);
        assertThat(live.importLate()).as("nothing left").isZero();

        live.close();
        DeadLetterStore again = open();
        assertThat(again.recoveryReport()).isNull();
        assertThat(again.list(0, 10)).extracting(DeadLetterEntry::payloadText).containsExactly("before", "order 18", "next");
    }

    @Test
    void shouldKeepTheOriginalRecordedAtTimeAndReplayAnImportedPayload() throws IOException {
        DeadLetterStore live = open();
        long recordedAt = now.get();
        assertThat(DeadLetterStore.recordLate(DeadLetterStore.Options.defaults(dir), packet("pay", "c", 5), "late", null, null, now::get))
                .isEqualTo(DeadLetterSink.RECORDED_LATE);
        now.addAndGet(1_000_000);
        live.importLate();
        DeadLetterEntry e = live.get(0);
        assertThat(e.recordedAtNanos()).isEqualTo(recordedAt);
        assertThat(e.replayable()).isTrue();
        RecordingBus bus = new RecordingBus();
        live.replay(0, false, bus);
        assertThat(bus.published).singleElement().satisfies(p -> {
            assertThat(p.payload()).isEqualTo("pay");
            assertThat(p.channel()).isEqualTo("c");
        });
    }

    @Test
    void shouldImportLeftoverSideFilesAtReopenWithSequencesContinuing() throws IOException {
        DeadLetterStore first = open();
        first.record(packet("p0", "c", 0), "r", null, null);
        first.record(packet("p1", "c", 1), "r", null, null);
        first.close();
        writeLate("late a", "c", 2, "stopping a");
        writeLate("late b", "c", 3, "stopping b");

        DeadLetterStore again = open();

        assertThat(again.recoveryReport()).isNull();
        assertThat(lateFiles()).isEmpty();
        assertThat(again.list(0, 10)).extracting(DeadLetterEntry::sequence).containsExactly(0L, 1L, 2L, 3L);
        assertThat(again.list(2, 10)).extracting(DeadLetterEntry::payloadText).containsExactlyInAnyOrder("late a", "late b");
        assertThat(again.list(2, 10)).extracting(DeadLetterEntry::reason).containsExactlyInAnyOrder("stopping a", "stopping b");
        assertThat(again.lateImported()).isEqualTo(2);
    }

    @Test
    void shouldReportACorruptSideFileImportItsGoodPartAndNotBlockTheOthers() throws IOException {
        Path good = writeLate("good", "c", 1, "r");
        Path flipped = writeLate("flipped", "c", 2, "r");
        byte[] b = Files.readAllBytes(flipped);
        b[b.length - 3] ^= 0x55; // inside the entry's data: the CRC fails
        Files.write(flipped, b);
        Path trailing = writeLate("with garbage after it", "c", 3, "r");
        Files.write(trailing, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, StandardOpenOption.APPEND);
        Path empty = lateDir().resolve("late-0000000000000000-0000000000000000.dlq");
        Files.write(empty, new byte[5]);

        DeadLetterStore store = open();

        assertThat(store.list(0, 10)).extracting(DeadLetterEntry::payloadText).containsExactlyInAnyOrder("good", "with garbage after it");
        assertThat(store.lateCorrupt()).isEqualTo(3);
        assertThat(store.recoveryReport()).contains("side file " + flipped.getFileName() + " is torn or corrupt")
                .contains("side file " + trailing.getFileName() + " is torn or corrupt")
                .contains("9 unreadable bytes")
                .contains("side file " + empty.getFileName() + " is torn or corrupt");
        assertThat(lateFiles()).containsExactlyInAnyOrder(flipped.getFileName() + ".corrupt", trailing.getFileName() + ".corrupt",
                empty.getFileName() + ".corrupt");
        assertThat(lateFiles()).doesNotContain(good.getFileName().toString());

        // later, while running: a corrupt one shows in the health text, the good one is imported
        writeLate("good later", "c", 4, "r");
        Path bad = writeLate("bad later", "c", 5, "r");
        Files.write(bad, new byte[] {9, 9, 9});
        DeadLetterLogComponent log = DeadLetterLogComponent.on(store, null);
        assertThat(store.importLate()).isEqualTo(1);
        assertThat(store.latest(1)).extracting(DeadLetterEntry::payloadText).containsExactly("good later");
        HealthReport h = log.health();
        assertThat(h.details()).anyMatch(d -> d.contains("late records imported from side files") && d.contains(": 3;")
                && d.contains("corrupt side files: 4") && d.contains(bad.getFileName().toString()));
    }

    @Test
    void shouldNotImportAgainAfterACrashBetweenAppendAndDeleteButImportWhatWasNotAppended() throws IOException {
        DeadLetterStore store = open();
        Path appended = writeLate("appended", "c", 1, "r");
        Path copy = dir.resolve("copy");
        Files.copy(appended, copy);
        store.importLate();
        assertThat(store.size()).isEqualTo(1);
        store.record(packet("after", "c", 2), "r", null, null);
        store.close();
        // as if the process died after the append and before the delete
        Files.move(copy, appended.resolveSibling(appended.getFileName() + DeadLetterStore.IMPORTING));
        // as if it died after the rename and before the append
        Path notAppended = writeLate("not appended", "c", 3, "r");
        Files.move(notAppended, notAppended.resolveSibling(notAppended.getFileName() + DeadLetterStore.IMPORTING));

        DeadLetterStore again = open();

        assertThat(again.list(0, 10)).extracting(DeadLetterEntry::payloadText).containsExactly("appended", "after", "not appended");
        assertThat(again.recoveryReport()).isNull();
        assertThat(lateFiles()).isEmpty();
    }

    @Test
    void shouldImportAnAbandonedTmpFileAndLeaveAFreshOneToItsWriter() throws IOException {
        Path abandoned = writeLate("abandoned", "c", 1, "r");
        Path abandonedTmp = abandoned.resolveSibling(abandoned.getFileName() + DeadLetterStore.TMP);
        Files.move(abandoned, abandonedTmp);
        Files.setLastModifiedTime(abandonedTmp, FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(5)));
        Path fresh = writeLate("being written", "c", 2, "r");
        Path freshTmp = fresh.resolveSibling(fresh.getFileName() + DeadLetterStore.TMP);
        Files.move(fresh, freshTmp);

        DeadLetterStore store = open();

        assertThat(store.list(0, 10)).extracting(DeadLetterEntry::payloadText).containsExactly("abandoned");
        assertThat(lateFiles()).containsExactly(freshTmp.getFileName().toString());
    }

    @Test
    void shouldApplyTheBoundsToImportedEntries() throws IOException {
        DeadLetterStore store = open(bounded(8, DeadLetterStore.MIN_MAX_BYTES));
        for (int i = 0; i < 8; i++) {
            store.record(packet("p" + i, "c", i), "r", null, null);
        }
        for (int i = 8; i < 12; i++) {
            DeadLetterStore.writeLate(bounded(8, DeadLetterStore.MIN_MAX_BYTES), packet("p" + i, "c", i), "r", null, null, now.get());
        }
        assertThat(store.importLate()).isEqualTo(4);
        assertThat(store.size()).isLessThanOrEqualTo(8);
        assertThat(store.evicted()).isEqualTo(12 - store.size());
        assertThat(store.nextSequence()).isEqualTo(12);
        assertThat(lateFiles()).isEmpty();
    }

    @Test
    void shouldImportSideFilesPeriodicallyInAnActiveComponent() throws IOException, InterruptedException {
        DeadLetterStore old = open();
        DeadLetterLogComponent oldComponent = DeadLetterLogComponent.on(old, null);
        old.close();
        DeadLetterLogComponent live = new DeadLetterLogComponent();
        live.activate(null, new Config(dir.toString()));
        try {
            assertThat(oldComponent.record(packet("late", "orders", 7), "bus stopping", null, null)).isEqualTo(DeadLetterSink.RECORDED_LATE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (live.size() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(live.size()).as("imported by the component's timer within 30 s").isEqualTo(1);
            assertThat(live.get(0).payloadText()).isEqualTo("late");
            assertThat(lateFiles()).isEmpty();
        } finally {
            live.deactivate();
        }
    }

    /** A configuration naming only the directory. */
    private record Config(String dir) implements DeadLetterConfig {
        @Override
        public long max_entries() {
            return 100_000;
        }

        @Override
        public long max_bytes() {
            return 64L * 1024 * 1024;
        }

        @Override
        public String fsync() {
            return "periodic";
        }

        @Override
        public long fsync_interval_ms() {
            return 1000;
        }

        @Override
        public int live_entries() {
            return 10_000;
        }

        @Override
        public int max_payload_bytes() {
            return 1024 * 1024;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return DeadLetterConfig.class;
        }
    }
}
