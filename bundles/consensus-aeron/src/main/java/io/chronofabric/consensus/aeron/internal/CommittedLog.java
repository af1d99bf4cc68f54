package io.chronofabric.consensus.aeron.internal;

import io.chronofabric.api.consensus.CommittedValue;

/**
 * The committed values a node holds: appended by one thread (the clustered service's), read by
 * any. Values are kept in chunks; compaction drops whole chunks below the retained window.
 * Readers see an entry once {@link #size()} covers it (the volatile write of the size publishes
 * it).
 */
final class CommittedLog {

    static final int CHUNK_SHIFT = 12;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int MASK = CHUNK - 1;

    private final int retain;
    private volatile CommittedValue[][] chunks = new CommittedValue[16][];
    private volatile long size;
    private volatile long first;

    /**
     * @param retain how many of the latest values to keep at least (older whole chunks are
     *               dropped); {@code 0} keeps all
     */
    CommittedLog(int retain) {
        if (retain < 0) {
            throw new IllegalArgumentException("retain.values must be >= 0: " + retain);
        }
        this.retain = retain;
    }

    /** Index the next append gets (= number of values ever committed). */
    long size() {
        return size;
    }

    /** Smallest index still held; values below it were compacted. */
    long firstIndex() {
        return first;
    }

    int retain() {
        return retain;
    }

    /** Writer thread only. The index must be {@link #size()}. */
    void append(CommittedValue value) {
        long index = size;
        if (value.index() != index) {
            throw new IllegalStateException("Committed value index " + value.index() + " out of order: expected " + index);
        }
        int chunk = (int) (index >>> CHUNK_SHIFT);
        CommittedValue[][] table = chunks;
        if (chunk >= table.length) {
            CommittedValue[][] bigger = new CommittedValue[Math.max(table.length * 2, chunk + 1)][];
            System.arraycopy(table, 0, bigger, 0, table.length);
            table = bigger;
            chunks = table;
        }
        CommittedValue[] c = table[chunk];
        if (c == null) {
            c = new CommittedValue[CHUNK];
            table[chunk] = c;
        }
        c[(int) (index & MASK)] = value;
        size = index + 1;
        compact();
    }

    /** Writer thread only: restarts the log at {@code firstIndex} (a snapshot's window). */
    void reset(long firstIndex) {
        chunks = new CommittedValue[Math.max(16, (int) (firstIndex >>> CHUNK_SHIFT) + 1)][];
        first = firstIndex;
        size = firstIndex;
    }

    /** Any thread: the value at {@code index}, or null when compacted or not committed yet. */
    CommittedValue get(long index) {
        if (index < first || index >= size) {
            return null;
        }
        CommittedValue[][] table = chunks;
        int chunk = (int) (index >>> CHUNK_SHIFT);
        if (chunk >= table.length) {
            return null;
        }
        CommittedValue[] c = table[chunk];
        return c == null ? null : c[(int) (index & MASK)];
    }

    private void compact() {
        if (retain == 0) {
            return;
        }
        long keepFrom = size - retain;
        long firstChunk = first >>> CHUNK_SHIFT;
        // drop a chunk only once it lies wholly below the window
        while (((firstChunk + 1) << CHUNK_SHIFT) <= keepFrom) {
            chunks[(int) firstChunk] = null;
            firstChunk++;
            first = firstChunk << CHUNK_SHIFT;
        }
    }
}
