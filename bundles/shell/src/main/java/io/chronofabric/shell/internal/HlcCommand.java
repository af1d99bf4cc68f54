package io.chronofabric.shell.internal;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.NanoTime;
import io.chronofabric.api.time.HlcClock;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Shows the Hybrid Logical Clock; merges a remote timestamp. */
@Service
@Command(scope = "csf", name = "hlc", description = "Issues an HLC timestamp and shows node id, maximum offset and refused updates.")
public class HlcCommand implements Action {

    @Option(name = "-u", aliases = "--update", description = "Merge a remote timestamp (physical.logical@node) as a receive event.")
    String update;

    @Reference(optional = true)
    HlcClock hlc;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (hlc == null) {
            out.println("No HlcClock service is registered (is the chronofabric-time feature installed and started?)");
            return null;
        }
        if (update != null) {
            LogicalTime remote = LogicalTime.parse(update);
            out.println("Receive event   : " + hlc.update(remote));
        }
        LogicalTime now = hlc.now();
        out.println("Now             : " + now);
        out.println("Physical (UTC)  : " + new NanoTime(now.physical()));
        out.println("Node id         : " + hlc.nodeId());
        out.println("Max offset      : " + Durations.format(hlc.maxOffsetNanos()));
        out.println("Refused updates : " + hlc.refusedUpdates());
        return null;
    }
}
