package io.chronofabric.api.ledger;

import io.chronofabric.api.core.LogicalTime;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A signed statement of the log's size and root at an HLC time.
 *
 * @param treeSize  number of entries
 * @param rootHash  32-byte Merkle tree hash of the first {@code treeSize} entries
 * @param timestamp HLC time of signing
 * @param signature Ed25519 signature over {@link #signedBytes()}
 */
public record SignedTreeHead(long treeSize, byte[] rootHash, LogicalTime timestamp, byte[] signature) {

    public SignedTreeHead {
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(signature, "signature");
        rootHash = rootHash.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * The exact bytes signed: ASCII "CFSTH1", tree size (8 bytes big endian), root hash
     * (32 bytes), HLC physical (8), logical (8), node id (2).
     */
    public byte[] signedBytes() {
        return ByteBuffer.allocate(6 + 8 + rootHash.length + 8 + 8 + 2)
                .put(new byte[] {'C', 'F', 'S', 'T', 'H', '1'})
                .putLong(treeSize)
                .put(rootHash)
                .putLong(timestamp.physical())
                .putLong(timestamp.logical())
                .putShort((short) timestamp.nodeId())
                .array();
    }
}
