package io.chronofabric.ledger.internal;

import java.util.ArrayList;
import java.util.List;

/** An append-only array of 32-byte hashes in 1 MiB chunks (no object per hash). Not thread-safe. */
final class HashArray {

    private static final int PER_CHUNK = 32_768;
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    void add(byte[] hash) {
        int slot = (int) (size % PER_CHUNK);
        if (slot == 0) {
            chunks.add(new byte[PER_CHUNK * 32]);
        }
        System.arraycopy(hash, 0, chunks.get(chunks.size() - 1), slot * 32, 32);
        size++;
    }

    byte[] get(long index) {
        byte[] out = new byte[32];
        System.arraycopy(chunks.get((int) (index / PER_CHUNK)), (int) (index % PER_CHUNK) * 32, out, 0, 32);
        return out;
    }

    long size() {
        return size;
    }

    /** Drops entries from {@code newSize} on. */
    void truncate(long newSize) {
        size = Math.min(size, newSize);
        int keep = (int) ((size + PER_CHUNK - 1) / PER_CHUNK);
        while (chunks.size() > keep) {
            chunks.remove(chunks.size() - 1);
        }
    }
}
