package io.chronofabric.api.ledger;

import java.util.List;

/**
 * Proof that the tree of size {@code oldSize} is a prefix of the tree of size
 * {@code newSize} (RFC 9162 section 2.1.4).
 *
 * @param oldSize earlier size
 * @param newSize later size
 * @param path    the proof's hashes, each 32 bytes
 */
public record ConsistencyProof(long oldSize, long newSize, List<byte[]> path) {

    public ConsistencyProof {
        path = path.stream().map(byte[]::clone).toList();
    }
}
