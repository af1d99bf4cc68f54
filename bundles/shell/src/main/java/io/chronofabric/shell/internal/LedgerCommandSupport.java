package io.chronofabric.shell.internal;

import io.chronofabric.api.ledger.SecureImmutableLedger;
import java.io.PrintStream;
import java.util.HexFormat;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;

/** Shared plumbing of the ledger commands. */
public abstract class LedgerCommandSupport implements Action {

    static final HexFormat HEX = HexFormat.of();

    @Reference(optional = true)
    SecureImmutableLedger ledger;

    @Reference
    Session session;

    @Override
    public final Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (ledger == null) {
            out.println("No SecureImmutableLedger service is registered (is the chronofabric-ledger feature installed and started?)");
            return null;
        }
        doExecute(out);
        return null;
    }

    protected abstract void doExecute(PrintStream out) throws Exception;

    /** Entry bytes as text when printable UTF-8, else hex. */
    static String show(byte[] data) {
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        boolean printable = text.chars().allMatch(c -> c >= 0x20 && c != 0xFFFD || c == '\t');
        return printable ? "\"" + TailCommand.abbreviate(text) + "\"" : "hex " + abbreviateHex(HEX.formatHex(data));
    }

    private static String abbreviateHex(String hex) {
        return hex.length() <= 200 ? hex : hex.substring(0, 197) + "...";
    }

    static long parseIndex(String text, String what) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0) {
                throw new IllegalArgumentException(what + " " + v + " is negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number");
        }
    }
}
