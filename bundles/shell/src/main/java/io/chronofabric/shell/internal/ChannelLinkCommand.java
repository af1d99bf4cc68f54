package io.chronofabric.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Forwards one channel into another. */
@Service
@Command(scope = "csf", name = "channel-link", description = "Forwards every packet published on one channel to another as well (loops are refused).")
public class ChannelLinkCommand extends BusCommandSupport {

    @Argument(index = 0, name = "from", required = true, description = "Source channel (must be known to the bus).")
    @Completion(ChannelCompleter.class)
    String from;

    @Argument(index = 1, name = "to", required = true, description = "Destination channel.")
    @Completion(ChannelCompleter.class)
    String to;

    @Option(name = "--remove", description = "Remove the link instead.")
    boolean remove;

    @Override
    protected void doExecute(PrintStream out) {
        if (remove) {
            out.println(bus.unlinkChannels(from, to) ? "Removed link " + from + " -> " + to : "There was no link " + from + " -> " + to);
        } else {
            bus.linkChannels(from, to);
            out.println("Linked " + from + " -> " + to);
        }
    }
}
