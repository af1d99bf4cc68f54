package io.chronofabric.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Prints the last entries. */
@Service
@Command(scope = "csf", name = "ledger-tail", description = "Prints the last entries of the ledger.")
public class LedgerTailCommand extends LedgerCommandSupport {

    @Option(name = "-n", aliases = "--count", description = "How many entries (default 10).")
    int count = 10;

    @Override
    protected void doExecute(PrintStream out) {
        if (count <= 0) {
            throw new IllegalArgumentException("--count " + count + " must be positive");
        }
        long size = ledger.size();
        if (size == 0) {
            out.println("The ledger is empty");
            return;
        }
        for (long i = Math.max(0, size - count); i < size; i++) {
            out.println(i + ": " + show(ledger.get(i)));
        }
    }
}
