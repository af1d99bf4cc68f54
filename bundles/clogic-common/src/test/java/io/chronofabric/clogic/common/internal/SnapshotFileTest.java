package io.chronofabric.clogic.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldLoadNothingBeforeTheFirstSave() throws Exception {
        assertThat(new SnapshotFile(dir.resolve("state.properties"), "test").load()).isEmpty();
    }

    @Test
    void shouldLoadWhatWasSavedAndReplaceItWhole() throws Exception {
        SnapshotFile f = new SnapshotFile(dir.resolve("sub/state.properties"), "ChronoFabric test snapshot");
        Properties first = new Properties();
        first.setProperty("a", "1");
        first.setProperty("gone", "x");
        f.save(first);
        Properties second = new Properties();
        second.setProperty("a", "2");
        second.setProperty("unicode", "\u00e9\u4e2d");
        f.save(second);

        Properties back = f.load().orElseThrow();
        assertThat(back).containsOnlyKeys("a", "unicode");
        assertThat(back.getProperty("a")).isEqualTo("2");
        assertThat(back.getProperty("unicode")).isEqualTo("\u00e9\u4e2d");
        assertThat(Files.readString(f.path(), StandardCharsets.ISO_8859_1)).startsWith("#ChronoFabric test snapshot");
        assertThat(dir.resolve("sub/state.properties.tmp")).doesNotExist();
    }

    @Test
    void shouldKeepTheOldSnapshotWhenAStaleTemporaryFileIsLeftFromACrash() throws Exception {
        SnapshotFile f = new SnapshotFile(dir.resolve("state.properties"), "test");
        Properties p = new Properties();
        p.setProperty("k", "old");
        f.save(p);
        Files.writeString(dir.resolve("state.properties.tmp"), "k=torn", StandardCharsets.ISO_8859_1);

        assertThat(f.load().orElseThrow().getProperty("k")).isEqualTo("old");
        p.setProperty("k", "new");
        f.save(p);
        assertThat(f.load().orElseThrow().getProperty("k")).isEqualTo("new");
    }
}
