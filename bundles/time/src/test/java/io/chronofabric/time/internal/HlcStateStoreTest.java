package io.chronofabric.time.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.LogicalTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlcStateStoreTest {

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripTheMark() throws IOException {
        HlcStateStore store = new HlcStateStore(dir.resolve("sub/hlc.state"));
        assertThat(store.read()).isEmpty();
        store.write(new LogicalTime(123, 4, 5), true);
        assertThat(store.read()).contains(new HlcStateStore.Stored(new LogicalTime(123, 4, 5), true));
        store.write(new LogicalTime(200, 0, 5), false);
        assertThat(store.read()).contains(new HlcStateStore.Stored(new LogicalTime(200, 0, 5), false));
        assertThat(Files.list(dir.resolve("sub"))).hasSize(1);
    }

    @Test
    void shouldReportADamagedFileByName() throws IOException {
        Path f = dir.resolve("hlc.state");
        Files.writeString(f, "physical=abc\n");
        assertThatThrownBy(() -> new HlcStateStore(f).read()).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("damaged");
    }

    @Test
    void shouldSyncTheDirectoryAfterTheRenameOnARealDirectory() throws IOException {
        HlcStateStore.forceDirectory(dir); // throws if this platform cannot, and this test then says so
        HlcStateStore store = new HlcStateStore(dir.resolve("hlc.state"));
        store.write(new LogicalTime(7, 0, 1), false);
        assertThat(store.directorySyncRefused()).isFalse();
    }

    @Test
    void shouldSyncTheDirectoryHoldingTheFileAfterRenamingIt() throws IOException {
        java.util.List<Path> synced = new java.util.ArrayList<>();
        Path file = dir.resolve("sub/hlc.state");
        HlcStateStore store = new HlcStateStore(file, d -> {
            assertThat(file).exists(); // after the rename
            synced.add(d);
        });
        store.write(new LogicalTime(7, 0, 1), false);
        assertThat(synced).containsExactly(dir.resolve("sub").toAbsolutePath());
    }

    @Test
    void shouldTolerateAFileSystemThatRefusesToSyncADirectory() throws IOException {
        HlcStateStore store = new HlcStateStore(dir.resolve("hlc.state"), d -> {
            throw new IOException("Is a directory: " + d);
        });
        store.write(new LogicalTime(8, 0, 1), true);
        store.write(new LogicalTime(9, 0, 1), true);
        assertThat(store.directorySyncRefused()).isTrue();
        assertThat(store.read()).contains(new HlcStateStore.Stored(new LogicalTime(9, 0, 1), true));
    }
}
