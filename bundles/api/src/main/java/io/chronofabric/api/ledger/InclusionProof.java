package io.chronofabric.api.ledger;

import java.util.List;

/**
 * Audit path proving that entry {@code leafIndex} is in the tree of size {@code treeSize}
 * (RFC 9162 section 2.1.3).
 *
 * @param leafIndex zero-based index
 * @param treeSize  size of the tree the proof is for
 * @param path      sibling hashes from the leaf upwards, each 32 bytes
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> path) {

    public InclusionProof {
        path = path.stream().map(byte[]::clone).toList();
    }
}
