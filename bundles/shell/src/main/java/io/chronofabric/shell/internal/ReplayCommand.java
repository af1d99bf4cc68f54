package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** csf:replay: republishes a recorded channel's packets from the ledger. */
@Service
@Command(scope = "csf", name = "replay", description = "Republishes the packets the ledger recorder kept for a channel, "
        + "as ReplayedPacket payloads carrying their original HLC time and message id.")
public class ReplayCommand implements Action {

    @Argument(index = 0, name = "channel", required = true, description = "The recorded channel (see record.channels of io.chronofabric.ledger).")
    @Completion(ChannelCompleter.class)
    String channel;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "The options may also follow the channel: --from N, --to N, --into CHANNEL, --rate N.")
    java.util.List<String> trailing;

    @Option(name = "--from", description = "First ledger entry index (default 0).")
    long from = -1;

    @Option(name = "--to", description = "Last ledger entry index, inclusive (default the last entry).")
    long to = -1;

    @Option(name = "--into", description = "Channel to publish on (default <channel>.replay).")
    String into;

    @Option(name = "--rate", description = "Packets per second (default: as fast as the bus takes them).")
    double rate;

    @Reference(optional = true)
    SecureImmutableLedger ledger;

    @Reference(optional = true)
    EventBus bus;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (ledger == null) {
            out.println("No SecureImmutableLedger service is registered (is the chronofabric-ledger feature installed and started?)");
            return null;
        }
        if (bus == null) {
            out.println("No EventBus service is registered (is the chronofabric-bus feature installed and started?)");
            return null;
        }
        applyTrailing();
        String target = into != null ? into : Replayer.defaultTarget(channel);
        Replayer.Result r = new Replayer(ledger, bus, System::nanoTime, Replayer.PARK).replay(channel, from, to, target, rate);
        out.println(describe(channel, target, r));
        return null;
    }

    /** Karaf parses options only before the first argument; this reads those written after the channel. */
    void applyTrailing() {
        if (trailing == null) {
            return;
        }
        for (int i = 0; i < trailing.size(); i++) {
            String name = trailing.get(i);
            if (i + 1 >= trailing.size()) {
                throw new IllegalArgumentException(name.startsWith("--") ? "Option " + name + " needs a value"
                        : "Unexpected argument '" + name + "' (csf:replay takes one channel)");
            }
            String value = trailing.get(++i);
            switch (name) {
                case "--from" -> from = LedgerCommandSupport.parseIndex(value, "--from");
                case "--to" -> to = LedgerCommandSupport.parseIndex(value, "--to");
                case "--into" -> into = value;
                case "--rate" -> {
                    try {
                        rate = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--rate '" + value + "' is not a number");
                    }
                }
                default -> throw new IllegalArgumentException(name.startsWith("--") ? "Unknown option " + name
                        + " (csf:replay takes --from, --to, --into, --rate)" : "Unexpected argument '" + name + "' (csf:replay takes one channel)");
            }
        }
    }

    static String describe(String channel, String target, Replayer.Result r) {
        StringBuilder s = new StringBuilder();
        s.append(r.interrupted() ? "Interrupted: replayed " : "Replayed ").append(r.replayed()).append(r.replayed() == 1 ? " packet" : " packets")
                .append(" of channel ").append(channel).append(" into ").append(target)
                .append(" (ledger entries ").append(r.from()).append("..").append(r.to());
        long skipped = r.otherChannels() + r.notRecorded();
        if (skipped > 0) {
            s.append("; skipped ").append(r.otherChannels()).append(" of other channels, ").append(r.notRecorded())
                    .append(" not recorded packets");
        }
        return s.append(")").toString();
    }
}
