package io.chronofabric.api.consensus;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An append-only ledger replicated through consensus: appends are committed in one order, and
 * every node applies them in that order, so every node has the same RFC 6962 Merkle tree root at
 * every size (leaf hash {@code SHA-256(0x00 || entry)}, node hash {@code SHA-256(0x01 || left ||
 * right)}, RFC 6962 section 2.1). A node that was down catches up from the replicated log or a
 * snapshot.
 *
 * <p><b>Contract.</b> {@link #append} completes once the entry is committed, or exceptionally with
 * {@link io.chronofabric.api.core.DeliveryFailedException} when it is not within the consensus
 * proposal timeout (no quorum; the outcome is then unknown). The read methods answer from what
 * this node has applied, which may trail the leader. Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface ReplicatedLedger {

    /** @throws NullPointerException if {@code entry} is null */
    CompletionStage<LedgerAppend> append(byte[] entry);

    /** Entries this node has applied. */
    long size();

    /**
     * The RFC 6962 Merkle Tree Hash of the first {@code size} entries (for 0, SHA-256 of nothing).
     *
     * @throws IllegalArgumentException if {@code size} is negative or beyond {@link #size()}
     */
    byte[] rootHash(long size);

    /**
     * A copy of the entry at {@code index}.
     *
     * @throws IllegalArgumentException if {@code index} is negative or not below {@link #size()}
     */
    byte[] entry(long index);
}
