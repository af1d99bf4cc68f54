package io.chronofabric.shell.internal;

import io.chronofabric.api.consensus.LedgerAppend;
import io.chronofabric.api.consensus.ReplicatedLedger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** The replicated ledger: append through consensus, show size and RFC 6962 root. */
@Service
@Command(scope = "csf", name = "cluster-ledger", description = "Shows the replicated ledger's size and RFC 6962 root "
        + "(at --size, default the current size) on this node; --append adds a UTF-8 entry through consensus.")
public class ClusterLedgerCommand extends ClusterCommandSupport {

    @Reference(optional = true)
    ReplicatedLedger ledger;

    @Option(name = "--append", description = "Append this UTF-8 entry and wait for its commit")
    String append;

    @Option(name = "--size", description = "Show the root at this size")
    long size = -1;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        if (ledger == null) {
            out.println("No ReplicatedLedger service is registered (feature:install chronofabric-cluster)");
            return;
        }
        if (append != null) {
            LedgerAppend a = await(ledger.append(append.getBytes(StandardCharsets.UTF_8)), 60, out);
            if (a != null) {
                out.println("Appended entry " + a.index() + " in term " + a.term() + "; root at size " + (a.index() + 1) + ": "
                        + HexFormat.of().formatHex(a.rootHash()));
            }
            return;
        }
        long n = size >= 0 ? size : ledger.size();
        try {
            out.println("Size : " + ledger.size());
            out.println("Root : " + HexFormat.of().formatHex(ledger.rootHash(n)) + " (RFC 6962, size " + n + ")");
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
        }
    }
}
