package io.chronofabric.api.consensus;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A committed ledger append.
 *
 * @param index    the entry's index, from 0
 * @param term     leadership term in which it was committed
 * @param rootHash RFC 6962 root of the ledger of size {@code index + 1}; 32 bytes, copied in and out
 * @since 1.1
 */
public record LedgerAppend(long index, long term, byte[] rootHash) {

    /** @throws IllegalArgumentException if the index or term is negative or the root is not 32 bytes */
    public LedgerAppend {
        Objects.requireNonNull(rootHash, "rootHash");
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("Ledger append index and term must be >= 0: " + index + ", " + term);
        }
        if (rootHash.length != 32) {
            throw new IllegalArgumentException("Ledger root hash must be 32 bytes: " + rootHash.length);
        }
        rootHash = rootHash.clone();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerAppend a && a.index == index && a.term == term && Arrays.equals(a.rootHash, rootHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, term) * 31 + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return "LedgerAppend[index=" + index + ", term=" + term + ", root=" + HexFormat.of().formatHex(rootHash) + "]";
    }
}
