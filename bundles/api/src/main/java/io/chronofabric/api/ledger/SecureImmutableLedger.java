package io.chronofabric.api.ledger;

import java.security.PublicKey;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An append-only, tamper-evident log of byte entries.
 *
 * <p><b>Contract.</b> Entries are numbered from 0 and never change. Tree hashing is exactly
 * RFC 6962 / RFC 9162: leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right),
 * empty tree = SHA-256(""). Any byte string, including the empty one, is an entry. Methods taking
 * an index or size throw {@link IndexOutOfBoundsException} naming the value and the current size.
 * A ledger that detected corruption refuses appends with {@link IllegalStateException} naming the
 * first bad entry. Thread-safe; byte arrays passed in and returned are copies.
 */
@ProviderType
public interface SecureImmutableLedger {

    /** Appends one entry; returns its index once it is durable under the configured policy. */
    long append(byte[] entry);

    /** Appends entries in order atomically with respect to other appends; returns the first index. */
    long appendBatch(List<byte[]> entries);

    long size();

    byte[] get(long index);

    /** Merkle tree hash of the whole log. */
    byte[] rootHash();

    /** Merkle tree hash of the first {@code treeSize} entries. */
    byte[] rootHash(long treeSize);

    /** A freshly signed tree head of the current log. */
    SignedTreeHead signedTreeHead();

    InclusionProof inclusionProof(long leafIndex, long treeSize);

    ConsistencyProof consistencyProof(long oldSize, long newSize);

    /** Recomputes the whole log against the stored tree heads and signatures. */
    VerificationReport verify();

    /** The Ed25519 key that verifies this ledger's tree heads. */
    PublicKey publicKey();

    /**
     * What this ledger has done since it was opened (appends, entries, fsyncs, append latency).
     * The default, for implementations that keep no statistics, is {@link LedgerStats#NONE}.
     *
     * @since 1.1
     */
    default LedgerStats stats() {
        return LedgerStats.NONE;
    }
}
