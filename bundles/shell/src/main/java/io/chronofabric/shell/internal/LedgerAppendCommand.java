package io.chronofabric.shell.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Appends an entry. */
@Service
@Command(scope = "csf", name = "ledger-append", description = "Appends an entry (text, or bytes with --hex) to the ledger.")
public class LedgerAppendCommand extends LedgerCommandSupport {

    @Argument(index = 0, name = "data", required = true, description = "The entry: text, or hex digits with --hex.")
    String data;

    @Option(name = "-x", aliases = "--hex", description = "The argument is hex, e.g. 00ff10.")
    boolean hex;

    @Override
    protected void doExecute(PrintStream out) {
        byte[] bytes;
        if (hex) {
            try {
                bytes = HEX.parseHex(data.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + data + "' is not hex: use an even number of digits 0-9, a-f");
            }
        } else {
            bytes = data.getBytes(StandardCharsets.UTF_8);
        }
        long index = ledger.append(bytes);
        out.println("Appended entry " + index + " (" + bytes.length + " bytes); size is now " + ledger.size());
    }
}
