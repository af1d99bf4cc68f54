package io.chronofabric.consensus.aeron.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code <node dir>/node.lock} for the life of a node: the start-up clean-up
 * rewrites recording.log and the archive catalog, and the media driver deletes its directory on
 * start, so a second node (in this JVM or another process) on the same directory is refused with
 * an error naming it instead.
 */
final class NodeDirLock implements AutoCloseable {

    static final String FILE_NAME = "node.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private NodeDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static NodeDirLock acquire(File nodeDir) {
        File file = new File(nodeDir, FILE_NAME);
        if (!nodeDir.isDirectory() && !nodeDir.mkdirs() && !nodeDir.isDirectory()) {
            throw new IllegalStateException("cannot create the consensus node directory " + nodeDir);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new IllegalStateException("consensus node directory " + nodeDir + " is in use by another process ("
                        + file + " is locked)");
            }
            return new NodeDirLock(ch, l);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new IllegalStateException("consensus node directory " + nodeDir + " is in use by another node of this "
                    + "JVM (" + file + " is locked)", e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot lock the consensus node directory " + nodeDir + " (" + file + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
        }
    }
}
