package io.chronofabric.time.internal;

import io.chronofabric.api.core.LogicalTime;
import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HLC high-water mark on disk: a small properties file replaced atomically (write to a
 * temporary file, fsync, rename, fsync the directory so the rename itself is durable).
 * {@code clean=true} marks an exact last timestamp written at a
 * clean stop; {@code clean=false} marks a ceiling written while running, above every timestamp
 * issued so far.
 */
final class HlcStateStore {

    record Stored(LogicalTime time, boolean clean) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(HlcStateStore.class);

    /** Syncs a directory; replaceable so tests can play a file system that refuses. */
    interface DirectorySync {
        void force(Path dir) throws IOException;
    }

    private final Path file;
    private final DirectorySync directorySync;
    private volatile boolean directorySyncRefusalLogged;

    HlcStateStore(Path file) {
        this(file, HlcStateStore::forceDirectory);
    }

    HlcStateStore(Path file, DirectorySync directorySync) {
        this.file = file;
        this.directorySync = directorySync;
    }

    Path file() {
        return file;
    }

    /**
     * Reads the stored mark; empty if there is none.
     *
     * @throws IOException if the file exists but cannot be read or parsed (the message names it)
     */
    Optional<Stored> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            long physical = Long.parseLong(p.getProperty("physical"));
            long logical = Long.parseLong(p.getProperty("logical"));
            int node = Integer.parseInt(p.getProperty("node"));
            boolean clean = Boolean.parseBoolean(p.getProperty("clean"));
            return Optional.of(new Stored(new LogicalTime(physical, logical, node), clean));
        } catch (RuntimeException e) {
            throw new IOException("HLC state file " + file + " is damaged: " + p, e);
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong TMP_COUNTER = new java.util.concurrent.atomic.AtomicLong();

    void write(LogicalTime time, boolean clean) throws IOException {
        Files.createDirectories(file.getParent());
        // a name of its own per write: two writers (a second clock on the same directory) never share a temporary file
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + TMP_COUNTER.incrementAndGet() + ".tmp");
        String text = "# ChronoFabric HLC high-water mark; clean=false means a ceiling written while running\n"
                + "physical=" + time.physical() + "\nlogical=" + time.logical() + "\nnode=" + time.nodeId()
                + "\nclean=" + clean + "\n";
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.UTF_8.encode(text));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            directorySync.force(dir);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms and file systems (Windows, some network mounts) cannot open or sync a
            // directory; the rename is then as durable as the file system makes it.
            if (!directorySyncRefusalLogged) {
                directorySyncRefusalLogged = true;
                LOG.debug("Cannot fsync directory {} after replacing {} ({}); not trying to say so again", dir,
                        file.getFileName(), e.toString());
            }
        }
    }

    /** Flushes a directory's entries (a rename in it) to stable storage. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Whether a directory sync was refused (and logged once at debug). */
    boolean directorySyncRefused() {
        return directorySyncRefusalLogged;
    }
}
