package io.chronofabric.shell.internal;

import io.chronofabric.api.ledger.VerificationReport;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Recomputes the whole ledger. */
@Service
@Command(scope = "csf", name = "ledger-verify", description = "Recomputes every entry against the stored signed tree heads and their signatures.")
public class LedgerVerifyCommand extends LedgerCommandSupport {

    @Override
    protected void doExecute(PrintStream out) {
        VerificationReport r = ledger.verify();
        out.println((r.ok() ? "OK: " : "FAILED: ") + r.message());
        out.println("Entries checked: " + r.entriesChecked() + ", signed heads checked: " + r.headsChecked()
                + (r.ok() ? "" : ", first bad entry: " + r.firstBadIndex()));
    }
}
