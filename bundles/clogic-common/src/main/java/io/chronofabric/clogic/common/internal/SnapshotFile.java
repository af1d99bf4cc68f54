package io.chronofabric.clogic.common.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A C-LOGIC module's state snapshot on disk, crash-safe: written to a temporary file beside it,
 * forced to the device, renamed over the old one (atomically where the file system can), then the
 * directory forced, so a crash leaves either the old snapshot or the new one, never a torn file.
 * Not thread-safe: a module saves from one thread at a time.
 */
public final class SnapshotFile {

    private final Path file;
    private final String comment;

    /**
     * @param file    where the snapshot lives
     * @param comment the first line of the properties file (e.g. {@code ChronoFabric EGC state snapshot})
     */
    public SnapshotFile(Path file, String comment) {
        this.file = Objects.requireNonNull(file, "snapshot file");
        this.comment = Objects.requireNonNull(comment, "snapshot comment");
    }

    public Path path() {
        return file;
    }

    /** Writes {@code state} as the new snapshot, replacing the old one only once it is on disk. */
    public void save(Properties state) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.store(bytes, comment);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray());
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot force a directory; the rename itself is atomic
        }
    }

    /** The last snapshot saved, or empty when there is none. */
    public Optional<Properties> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        }
        return Optional.of(p);
    }
}
