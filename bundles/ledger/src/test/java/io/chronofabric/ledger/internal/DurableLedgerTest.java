package io.chronofabric.ledger.internal;

import static io.chronofabric.ledger.internal.LedgerTestSupport.clock;
import static io.chronofabric.ledger.internal.LedgerTestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.ledger.InclusionProof;
import io.chronofabric.api.ledger.SignedTreeHead;
import io.chronofabric.api.ledger.VerificationReport;
import io.chronofabric.ledger.verify.ProofVerifier;
import io.chronofabric.ledger.verify.Rfc6962;
import io.chronofabric.ledger.verify.TreeHeadVerifier;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableLedgerTest {

    @TempDir
    Path dir;

    private static byte[] entry(int i) {
        return ("entry-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private DurableLedger open(long segmentBytes) throws Exception {
        return DurableLedger.open(options(dir, DurableLedger.Fsync.EVERY_APPEND, segmentBytes), clock());
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("segments"))) {
            return s.sorted().toList();
        }
    }

    @Test
    void shouldAppendReadProveAndSurviveAReopen() throws Exception {
        byte[] root;
        SignedTreeHead head;
        try (DurableLedger l = open(1024)) {
            assertThat(l.append(new byte[0])).isZero();
            assertThat(l.appendBatch(List.of(entry(1), entry(2), entry(3)))).isEqualTo(1);
            for (int i = 4; i < 100; i++) {
                assertThat(l.append(entry(i))).isEqualTo(i);
            }
            root = l.rootHash();
            head = l.signedTreeHead();
            assertThat(head.treeSize()).isEqualTo(100);
            assertThat(TreeHeadVerifier.verify(head, l.publicKey())).isTrue();
        }
        assertThat(segments().size()).as("small segments roll").isGreaterThan(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ledger.key")))).isEqualTo("rw-------");
        try (DurableLedger l = open(1024)) {
            assertThat(l.recoveryReport()).isNull();
            assertThat(l.size()).isEqualTo(100);
            assertThat(l.get(0)).isEmpty();
            assertThat(new String(l.get(42), StandardCharsets.UTF_8)).isEqualTo("entry-42");
            assertThat(l.rootHash()).isEqualTo(root);
            assertThat(TreeHeadVerifier.verify(head, l.publicKey())).as("same key after reopen").isTrue();
            InclusionProof p = l.inclusionProof(42, 100);
            ProofVerifier.verifyInclusion(42, 100, Rfc6962.leafHash(entry(42)), p.path(), head.rootHash());
            ProofVerifier.verifyConsistency(17, 100, l.consistencyProof(17, 100).path(), l.rootHash(17), head.rootHash());
            VerificationReport v = l.verify();
            assertThat(v.ok()).as(v.message()).isTrue();
            assertThat(v.entriesChecked()).isEqualTo(100);
            l.append(entry(100));
            assertThat(l.size()).isEqualTo(101);
        }
    }

    @Test
    void shouldFsyncABatchOnceUnderEveryAppend() throws Exception {
        try (DurableLedger l = open(64L * 1024 * 1024)) {
            long before = l.fsyncCount();
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(entry(i));
            }
            assertThat(l.appendBatch(batch)).isZero();
            assertThat(l.fsyncCount() - before).as("one fsync for a batch of 100").isEqualTo(1);
            l.append(entry(100));
            l.append(entry(101));
            assertThat(l.fsyncCount() - before).as("one more per single append").isEqualTo(3);
        }
    }

    @Test
    void shouldCountAppendsEntriesFsyncsAndLatencies() throws Exception {
        try (DurableLedger l = open(64L * 1024 * 1024)) {
            io.chronofabric.api.ledger.LedgerStats empty = l.stats();
            assertThat(empty.appendCalls()).isZero();
            assertThat(empty.latencyQuantileUpperNanos(0.5)).isEqualTo(-1);
            l.appendBatch(List.of(entry(0), entry(1), entry(2)));
            l.append(entry(3));
            assertThatThrownBy(() -> l.appendBatch(List.of())).isInstanceOf(IllegalArgumentException.class);

            io.chronofabric.api.ledger.LedgerStats st = l.stats();
            assertThat(st.appendCalls()).as("a refused call is not counted").isEqualTo(2);
            assertThat(st.entries()).isEqualTo(4);
            assertThat(st.fsyncs()).isEqualTo(l.fsyncCount());
            assertThat(java.util.Arrays.stream(st.latencyCounts()).sum()).isEqualTo(2);
            assertThat(st.latencySumNanos()).isPositive();
            long p99 = st.latencyQuantileUpperNanos(0.99);
            assertThat(java.util.Arrays.stream(st.latencyUpperBoundsNanos()).anyMatch(b -> b == p99) || p99 == Long.MAX_VALUE)
                    .as("p99 %d is a bucket bound (or the overflow)", p99).isTrue();
        }
    }

    @Test
    void shouldNameBadIndexesAndSizes() throws Exception {
        try (DurableLedger l = open(1 << 20)) {
            l.append(entry(0));
            assertThatThrownBy(() -> l.get(42)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("No ledger entry 42: size is 1");
            assertThatThrownBy(() -> l.inclusionProof(3, 1)).hasMessageContaining("No ledger entry 3");
            assertThatThrownBy(() -> l.consistencyProof(5, 1)).hasMessageContaining("Old size 5 is larger than new size 1");
            assertThatThrownBy(() -> l.rootHash(9)).hasMessageContaining("No tree size 9");
            assertThatThrownBy(() -> l.appendBatch(List.of())).hasMessageContaining("at least one entry");
        }
    }

    @Test
    void shouldCutOffATornLastRecordAndReportIt() throws Exception {
        try (DurableLedger l = open(1 << 20)) {
            for (int i = 0; i < 10; i++) {
                l.append(entry(i));
            }
        }
        Path seg = segments().get(0);
        long size = Files.size(seg);
        // a crash in the middle of writing entry 10: its header and part of its data made it to disk
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(size);
            f.writeInt(100);
            f.writeInt(12345);
            f.write(new byte[20]);
        }
        try (DurableLedger l = open(1 << 20)) {
            assertThat(l.recoveryReport()).contains("torn record for entry 10").contains("cut off");
            assertThat(l.size()).isEqualTo(10);
            assertThat(l.corruption()).isNull();
            assertThat(Files.size(seg)).isEqualTo(size);
            l.append(entry(10));
            assertThat(l.verify().ok()).isTrue();
        }
    }

    @Test
    void shouldDetectAFlippedByteAndRefuseAppends() throws Exception {
        long offsetOf7;
        try (DurableLedger l = open(1 << 20)) {
            for (int i = 0; i < 20; i++) {
                l.append(entry(i));
            }
        }
        // entry i starts at i * (8 + 7) + ... : entries 0..9 are 7 bytes, 10..19 are 8 bytes
        offsetOf7 = 7L * (SegmentStore.HEADER + 7) + SegmentStore.HEADER + 3;
        Path seg = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(offsetOf7);
            int b = f.read();
            f.seek(offsetOf7);
            f.write(b ^ 0x01);
        }
        try (DurableLedger l = open(1 << 20)) {
            assertThat(l.firstBadEntry()).isEqualTo(7);
            assertThat(l.corruption()).contains("first bad entry 7").contains("CRC");
            assertThat(l.size()).isEqualTo(7);
            assertThat(new String(l.get(6), StandardCharsets.UTF_8)).isEqualTo("entry-6");
            assertThatThrownBy(() -> l.append(entry(99))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refuses appends").hasMessageContaining("first bad entry 7");
            assertThat(l.verify().ok()).isFalse();
            assertThat(l.verify().firstBadIndex()).isEqualTo(7);
        }
    }

    @Test
    void shouldDetectATruncatedSegmentCoveredByASignedHead() throws Exception {
        try (DurableLedger l = open(1 << 20)) {
            for (int i = 0; i < 20; i++) {
                l.append(entry(i));
            }
            l.signedTreeHead();
        }
        Path seg = segments().get(0);
        long cut = 12L * (SegmentStore.HEADER + 7) - 5; // inside entry 11 (entries 10.. are 8 bytes: still inside)
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(cut);
        }
        try (DurableLedger l = open(1 << 20)) {
            assertThat(l.corruption()).isNotNull().contains("covers entries up to 19");
            assertThat(l.firstBadEntry()).isEqualTo(l.size());
            assertThatThrownBy(() -> l.append(entry(99))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldDetectADeletedSegment() throws Exception {
        try (DurableLedger l = open(64)) {
            for (int i = 0; i < 30; i++) {
                l.append(entry(i));
            }
        }
        List<Path> segs = segments();
        assertThat(segs.size()).isGreaterThan(3);
        Path second = segs.get(1);
        long firstOfSecond = Long.parseLong(second.getFileName().toString().replace(".seg", ""));
        Files.delete(second);
        try (DurableLedger l = open(64)) {
            assertThat(l.firstBadEntry()).isEqualTo(firstOfSecond);
            assertThat(l.corruption()).contains("missing");
        }
    }

    @Test
    void shouldRefuseAnEntryWithAForgedCrcThroughTheSignedHeads() throws Exception {
        try (DurableLedger l = open(1 << 20)) {
            for (int i = 0; i < 8; i++) {
                l.append(entry(i));
            }
            l.signedTreeHead();
        }
        // rewrite entry 3 with a valid CRC: only the signed head can tell
        Path seg = segments().get(0);
        long pos = 3L * (SegmentStore.HEADER + 7);
        byte[] forged = "ENTRY-3".getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(pos);
            f.writeInt(forged.length);
            f.writeInt(SegmentStore.crc(forged.length, forged));
            f.write(forged);
        }
        try (DurableLedger l = open(1 << 20)) {
            assertThat(l.corruption()).contains("do not match the tree head signed at that size");
            assertThat(l.verify().ok()).isFalse();
        }
    }

    @Test
    void shouldAppendManyEntriesInBatches() throws Exception {
        try (DurableLedger l = DurableLedger.open(options(dir, DurableLedger.Fsync.OS, 1 << 20), clock())) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                batch.add(entry(i));
            }
            l.appendBatch(batch);
            l.appendBatch(batch);
            assertThat(l.size()).isEqualTo(10_000);
            assertThat(l.verify().ok()).isTrue();
        }
    }
}
