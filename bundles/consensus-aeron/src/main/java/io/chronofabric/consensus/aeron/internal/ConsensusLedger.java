package io.chronofabric.consensus.aeron.internal;

import io.chronofabric.api.consensus.LedgerAppend;
import io.chronofabric.api.consensus.ReplicatedLedger;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** {@link ReplicatedLedger} as appends in the node's replicated log, applied by every node's {@link LedgerTree}. */
final class ConsensusLedger implements ReplicatedLedger {

    private final Proposer proposer;
    private final LedgerTree tree;

    ConsensusLedger(Proposer proposer, LedgerTree tree) {
        this.proposer = proposer;
        this.tree = tree;
    }

    @Override
    public CompletionStage<LedgerAppend> append(byte[] entry) {
        Objects.requireNonNull(entry, "entry");
        return proposer.submit(LogService.LEDGER, entry.clone(), (b, o, l, payload) -> {
            byte[] root = new byte[32];
            b.getBytes(o + 2 * Long.BYTES, root);
            return new LedgerAppend(b.getLong(o), b.getLong(o + Long.BYTES), root);
        });
    }

    @Override
    public long size() {
        return tree.size();
    }

    @Override
    public byte[] rootHash(long size) {
        return tree.rootHash(size);
    }

    @Override
    public byte[] entry(long index) {
        return tree.entry(index);
    }
}
