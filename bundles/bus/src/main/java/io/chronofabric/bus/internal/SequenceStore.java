package io.chronofabric.bus.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps message-id sequences unique across bus and process restarts. The bus reserves blocks of
 * sequences ahead of use: before a sequence is issued, a limit above it is on disk. A new bus
 * starts at the last limit written (after a crash) or at the exact next sequence (after a clean
 * stop), so it never repeats an id an earlier one may have issued.
 */
interface SequenceStore {

    /** The first sequence the new bus may issue. */
    long start() throws IOException;

    /** Durably records that sequences below {@code limit} may be issued. */
    void reserve(long limit) throws IOException;

    /** Clean stop: sequences from {@code next} on were never issued. */
    void close(long next) throws IOException;

    /** A store in memory, shared by the buses given the same instance (for tests and plain-Java use). */
    static SequenceStore inMemory() {
        return new SequenceStore() {
            private final AtomicLong limit = new AtomicLong(1);

            @Override
            public long start() {
                return limit.get();
            }

            @Override
            public void reserve(long l) {
                limit.accumulateAndGet(l, Math::max);
            }

            @Override
            public void close(long next) {
                limit.set(next);
            }
        };
    }

    /** A store in {@code file}: one line {@code next=<n> clean=<bool>}, replaced atomically and fsynced with its directory. */
    static SequenceStore inFile(Path file) {
        return new SequenceStore() {
            @Override
            public long start() throws IOException {
                if (!Files.exists(file)) {
                    return 1;
                }
                String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
                for (String part : text.split("\\s+")) {
                    if (part.startsWith("next=")) {
                        try {
                            return Math.max(1, Long.parseLong(part.substring(5)));
                        } catch (NumberFormatException e) {
                            break;
                        }
                    }
                }
                throw new IOException(file + " does not hold 'next=<sequence>': '" + text + "'");
            }

            @Override
            public void reserve(long limit) throws IOException {
                write("next=" + limit + " clean=false\n");
            }

            @Override
            public void close(long next) throws IOException {
                write("next=" + next + " clean=true\n");
            }

            private void write(String line) throws IOException {
                Path dir = file.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                Path tmp = dir.resolve(file.getFileName() + ".tmp");
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true);
                } catch (IOException | UnsupportedOperationException e) {
                    // some file systems refuse to sync a directory; the rename is still atomic
                }
            }
        };
    }
}
