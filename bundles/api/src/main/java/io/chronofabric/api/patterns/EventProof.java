package io.chronofabric.api.patterns;

import io.chronofabric.api.ledger.InclusionProof;
import io.chronofabric.api.ledger.SignedTreeHead;
import java.util.Objects;

/**
 * Proof that an event is in the ledger: verify {@code treeHead}'s signature with the ledger's
 * public key, then {@code inclusion} of the event's entry (the ledger entry bytes at
 * {@code event.ledgerIndex()}) against {@code treeHead.rootHash()} (RFC 9162 section 2.1.3.2).
 *
 * @param event     the event
 * @param entry     the exact ledger entry bytes that encode it (the proof's leaf)
 * @param treeHead  a signed tree head covering it
 * @param inclusion the audit path of {@code event.ledgerIndex()} in a tree of {@code treeHead.treeSize()}
 */
public record EventProof(StoredEvent event, byte[] entry, SignedTreeHead treeHead, InclusionProof inclusion) {

    public EventProof {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(treeHead, "treeHead");
        Objects.requireNonNull(inclusion, "inclusion");
        entry = entry.clone();
    }

    @Override
    public byte[] entry() {
        return entry.clone();
    }
}
