package io.chronofabric.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Prints one entry. */
@Service
@Command(scope = "csf", name = "ledger-get", description = "Prints the ledger entry at an index.")
public class LedgerGetCommand extends LedgerCommandSupport {

    @Argument(index = 0, name = "index", required = true, description = "Entry index, from 0.")
    String index;

    @Override
    protected void doExecute(PrintStream out) {
        long i = parseIndex(index, "Index");
        byte[] data = ledger.get(i);
        out.println("Entry " + i + " (" + data.length + " bytes): " + show(data));
    }
}
