package io.chronofabric.shell.internal;

import io.chronofabric.api.ledger.ConsistencyProof;
import io.chronofabric.api.ledger.InclusionProof;

/**
 * Checks proofs with the ledger's storage-free verifier package when it is present (it is
 * imported optionally), so the console shows what a third party would conclude.
 */
final class LedgerVerification {

    private LedgerVerification() {
    }

    static String inclusion(byte[] entry, InclusionProof p, byte[] root) {
        try {
            io.chronofabric.ledger.verify.ProofVerifier.verifyInclusion(p.leafIndex(), p.treeSize(),
                    io.chronofabric.ledger.verify.Rfc6962.leafHash(entry), p.path(), root);
            return "yes";
        } catch (io.chronofabric.ledger.verify.ProofVerifier.ProofException e) {
            return "NO: " + e.getMessage();
        } catch (NoClassDefFoundError e) {
            return "not checked (the io.chronofabric.ledger.verify package is not installed)";
        }
    }

    static String consistency(ConsistencyProof p, byte[] root1, byte[] root2) {
        try {
            io.chronofabric.ledger.verify.ProofVerifier.verifyConsistency(p.oldSize(), p.newSize(), p.path(), root1, root2);
            return "yes";
        } catch (io.chronofabric.ledger.verify.ProofVerifier.ProofException e) {
            return "NO: " + e.getMessage();
        } catch (NoClassDefFoundError e) {
            return "not checked (the io.chronofabric.ledger.verify package is not installed)";
        }
    }
}
