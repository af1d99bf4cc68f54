package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.SubscriptionInfo;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** Lists the bus's subscriptions. */
@Service
@Command(scope = "csf", name = "subscriptions", description = "Lists bus subscriptions with their queues and counters.")
public class SubscriptionsCommand extends BusCommandSupport {

    @Override
    protected void doExecute(PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Channel / type");
        table.column("Component");
        table.column("Origin");
        table.column("Owner");
        table.column("Queued").alignRight();
        table.column("Delivered").alignRight();
        table.column("Dropped").alignRight();
        for (SubscriptionInfo s : bus.activeSubscriptions()) {
            table.addRow().addContent(s.id(), s.channel() != null ? "channel " + s.channel() : "type " + s.type(),
                    s.componentId() < 0 ? "-" : s.componentId(), s.origin(), s.owner(), s.queued() + "/" + s.capacity(),
                    s.delivered(), s.dropped());
        }
        table.print(out);
    }
}
