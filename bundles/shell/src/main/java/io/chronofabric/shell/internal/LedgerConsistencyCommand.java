package io.chronofabric.shell.internal;

import io.chronofabric.api.ledger.ConsistencyProof;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Prints and checks a consistency proof. */
@Service
@Command(scope = "csf", name = "ledger-consistency", description = "Prints the consistency proof between two tree sizes (RFC 9162) and checks it.")
public class LedgerConsistencyCommand extends LedgerCommandSupport {

    @Argument(index = 0, name = "old", required = true, description = "The earlier tree size.")
    String oldSize;

    @Argument(index = 1, name = "new", required = true, description = "The later tree size.")
    String newSize;

    @Override
    protected void doExecute(PrintStream out) {
        long o = parseIndex(oldSize, "Old size");
        long n = parseIndex(newSize, "New size");
        if (o > n) {
            throw new IllegalArgumentException("Old size " + o + " is larger than new size " + n);
        }
        ConsistencyProof p = ledger.consistencyProof(o, n);
        byte[] r1 = ledger.rootHash(o);
        byte[] r2 = ledger.rootHash(n);
        out.println("Size " + o + " root " + HEX.formatHex(r1));
        out.println("Size " + n + " root " + HEX.formatHex(r2));
        for (int k = 0; k < p.path().size(); k++) {
            out.println("  proof[" + k + "] " + HEX.formatHex(p.path().get(k)));
        }
        out.println("Verified: " + LedgerVerification.consistency(p, r1, r2));
    }
}
