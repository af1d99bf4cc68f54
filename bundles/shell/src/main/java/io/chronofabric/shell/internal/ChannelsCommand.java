package io.chronofabric.shell.internal;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** Lists known channels, their subscribers and links. */
@Service
@Command(scope = "csf", name = "channels", description = "Lists the channels the bus knows, their subscribers and links.")
public class ChannelsCommand extends BusCommandSupport {

    @Override
    protected void doExecute(PrintStream out) {
        Map<String, Set<String>> links = bus.channelLinks();
        ShellTable table = new ShellTable();
        table.column("Channel");
        table.column("Subscribers").alignRight();
        table.column("Forwards to");
        for (String c : bus.channels()) {
            table.addRow().addContent(c, bus.subscriberCount(c), String.join(", ", links.getOrDefault(c, Set.of())));
        }
        table.print(out);
    }
}
