package io.chronofabric.consensus.aeron.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aeron.cluster.RecordingLog;
import io.chronofabric.api.consensus.MemberStatus;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogPurgerTest {

    private static RecordingLog.Entry term(long recordingId, long termId, long base) {
        return new RecordingLog.Entry(recordingId, termId, base, -1, 0, -1, RecordingLog.ENTRY_TYPE_TERM, null, true, -1, 0);
    }

    private static RecordingLog.Entry snapshot(long recordingId, long position, int serviceId, boolean valid) {
        return new RecordingLog.Entry(recordingId, 0, 0, position, 0, serviceId, RecordingLog.ENTRY_TYPE_SNAPSHOT, null,
                valid, -1, 0);
    }

    @Test
    void shouldFindTheOldestRetainedSnapshotThatTheModuleAndTheServiceCompleted() {
        List<RecordingLog.Entry> entries = new ArrayList<>(List.of(term(0, 0, 0),
                snapshot(1, 1000, 0, true), snapshot(2, 1000, -1, true),
                snapshot(3, 2000, 0, true), snapshot(4, 2000, -1, true),
                snapshot(5, 3000, 0, true), snapshot(6, 3000, -1, true)));
        assertThat(LogPurger.oldestRetainedSnapshot(entries, 1)).isEqualTo(3000);
        assertThat(LogPurger.oldestRetainedSnapshot(entries, 2)).isEqualTo(2000);
        assertThat(LogPurger.oldestRetainedSnapshot(entries, 3)).isEqualTo(1000);
        assertThat(LogPurger.oldestRetainedSnapshot(entries, 4)).as("fewer snapshots than retained").isEqualTo(-1);
        // an invalidated snapshot, or one only the service completed, does not count
        entries.add(snapshot(7, 4000, 0, true));
        entries.add(snapshot(8, 5000, 0, false));
        entries.add(snapshot(9, 5000, -1, false));
        assertThat(LogPurger.oldestRetainedSnapshot(entries, 1)).isEqualTo(3000);
    }

    @Test
    void shouldPurgeOnlyBelowWhatEveryMemberAppended() {
        List<MemberStatus> all = List.of(new MemberStatus("node-0", true, 9000, 0),
                new MemberStatus("node-1", false, 7000, 2000), new MemberStatus("node-2", false, 8000, 1000));
        assertThat(LogPurger.safePosition(all, 3, 5000)).as("limited by the snapshot").isEqualTo(5000);
        assertThat(LogPurger.safePosition(all, 3, 7500)).as("limited by the slowest member").isEqualTo(7000);
        List<MemberStatus> oneUnknown = List.of(all.get(0), all.get(1), new MemberStatus("node-2", false, -1, -1));
        assertThat(LogPurger.safePosition(oneUnknown, 3, 5000)).as("a member not heard").isEqualTo(-1);
        assertThat(LogPurger.safePosition(all.subList(0, 2), 3, 5000)).as("a member missing").isEqualTo(-1);
    }

    @Test
    void shouldCheckTheRetainedSnapshotsAndSegmentLength() {
        Map<Integer, String> m = Map.of(0, "a:9010");
        ConsensusSettings s = new ConsensusSettings(0, m, new File("x"), "", 5000, 1000, 3000, 10000, 10000, 65536, 0, 0,
                16);
        assertThat(s.retainSnapshots()).isZero();
        assertThat(s.archiveSegmentLength()).isEqualTo(1 << 20);
        assertThat(s.withSegmentLength(131072).archiveSegmentLength()).isEqualTo(131072);
        assertThat(s.withRetainSnapshots(3).sameNode(s)).as("applied live").isTrue();
        assertThat(s.withSegmentLength(131072).sameNode(s)).as("needs a restart").isFalse();
        assertThatThrownBy(() -> s.withRetainSnapshots(-1)).hasMessageContaining("retain.snapshots must be >= 0");
        assertThatThrownBy(() -> s.withSegmentLength(32768)).hasMessageContaining("archive.segment.length must be 0 or");
        assertThatThrownBy(() -> s.withSegmentLength(100_000)).hasMessageContaining("archive.segment.length must be 0 or");
    }
}
