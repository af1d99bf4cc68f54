package io.chronofabric.shell.internal;

import io.chronofabric.api.ledger.InclusionProof;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Prints and checks an inclusion proof. */
@Service
@Command(scope = "csf", name = "ledger-proof", description = "Prints the inclusion proof of an entry (RFC 9162) and checks it against the root.")
public class LedgerProofCommand extends LedgerCommandSupport {

    @Argument(index = 0, name = "index", required = true, description = "Entry index, from 0.")
    String index;

    @Option(name = "-s", aliases = "--size", description = "Tree size the proof is for (default: the current size).")
    String size;

    @Override
    protected void doExecute(PrintStream out) {
        long i = parseIndex(index, "Index");
        long n = size == null ? ledger.size() : parseIndex(size, "Size");
        InclusionProof p = ledger.inclusionProof(i, n);
        byte[] root = ledger.rootHash(n);
        out.println("Entry " + i + " in a tree of size " + n + ", root " + HEX.formatHex(root));
        for (int k = 0; k < p.path().size(); k++) {
            out.println("  path[" + k + "] " + HEX.formatHex(p.path().get(k)));
        }
        out.println("Verified: " + LedgerVerification.inclusion(ledger.get(i), p, root));
    }
}
