package io.chronofabric.shell.internal;

import io.chronofabric.api.core.NanoTime;
import io.chronofabric.api.ledger.SignedTreeHead;
import java.io.PrintStream;
import java.security.Signature;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Signs and shows the current tree head, checking its signature. */
@Service
@Command(scope = "csf", name = "ledger-head", description = "Shows a signed tree head of the ledger (size, root, HLC time) and checks its Ed25519 signature.")
public class LedgerHeadCommand extends LedgerCommandSupport {

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        SignedTreeHead h = ledger.signedTreeHead();
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(ledger.publicKey());
        s.update(h.signedBytes());
        boolean ok = s.verify(h.signature());
        out.println("Size       : " + h.treeSize());
        out.println("Root       : " + HEX.formatHex(h.rootHash()));
        out.println("Timestamp  : " + h.timestamp() + " (" + new NanoTime(h.timestamp().physical()) + ")");
        out.println("Signature  : " + HEX.formatHex(h.signature()));
        out.println("Public key : " + HEX.formatHex(ledger.publicKey().getEncoded()) + " (X.509)");
        out.println("Verified   : " + (ok ? "yes (Ed25519)" : "NO: the signature does not match"));
    }
}
