package io.chronofabric.shell.internal;

import io.chronofabric.api.patterns.ChannelHistory;
import io.chronofabric.api.patterns.ReplayedPacket;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.stream.Stream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** csf:history: prints what the ledger recorder kept for a channel, through the ChannelHistory service. */
@Service
@Command(scope = "csf", name = "history", description = "Prints the packets the ledger recorder kept for a channel "
        + "(ledger index, original HLC time and message id, payload), oldest first.")
public class HistoryCommand implements Action {

    @Argument(index = 0, name = "channel", required = true, description = "The recorded channel (see record.channels of io.chronofabric.ledger).")
    @Completion(ChannelCompleter.class)
    String channel;

    @Option(name = "--from", description = "First ledger entry index (default 0).")
    long from;

    @Option(name = "--to", description = "Last ledger entry index, inclusive (default the last entry).")
    long to = -1;

    @Option(name = "-n", aliases = "--count", description = "Print at most this many packets (default 100).")
    int count = 100;

    @Reference(optional = true)
    ChannelHistory history;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (history == null) {
            out.println("No ChannelHistory service is registered (is the chronofabric-patterns feature installed, with a ledger?)");
            return null;
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count " + count + " must be 1 or more");
        }
        int printed = 0;
        try (Stream<ReplayedPacket> packets = history.read(channel, from, to)) {
            Iterator<ReplayedPacket> it = packets.iterator();
            while (it.hasNext()) {
                if (printed == count) {
                    out.println("... more: use --from or --count");
                    return null;
                }
                ReplayedPacket p = it.next();
                out.println("#" + p.ledgerIndex() + "  " + p.originalTime() + "  " + new io.chronofabric.api.core.MessageId(p.originalMessageId())
                        + "  " + TailCommand.abbreviate(p.payloadText()));
                printed++;
            }
        }
        if (printed == 0) {
            out.println("No recorded packets of channel " + channel + " in that range (is it in record.channels of io.chronofabric.ledger?)");
        }
        return null;
    }
}
