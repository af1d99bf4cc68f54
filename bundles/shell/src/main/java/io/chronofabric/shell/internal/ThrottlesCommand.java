package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.ChannelThrottle;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Lists the bus's channel rate limits with what they did. */
@Service
@Command(scope = "csf", name = "throttles", description = "Lists the bus channels with a rate limit: rate, burst, packets admitted at once, delayed"
        + " (guaranteed, waited for their turn), waiting now, refused (THROTTLED answers, refused guaranteed, dropped best effort), and who set it.")
public class ThrottlesCommand implements Action {

    @Reference(optional = true)
    ChannelThrottle throttle;

    @Reference
    Session session;

    @Override
    public Object execute() {
        run(session.getConsole());
        return null;
    }

    void run(PrintStream out) {
        if (throttle == null) {
            out.println("No ChannelThrottle service is registered (is the chronofabric-bus feature started, at API bus 1.3 or later?)");
            return;
        }
        List<ChannelLimit> limits = throttle.limits();
        if (limits.isEmpty()) {
            out.println("No channel has a rate limit");
            return;
        }
        int w = "CHANNEL".length();
        for (ChannelLimit l : limits) {
            w = Math.max(w, l.channel().length());
        }
        String f = "%-" + w + "s %10s %7s %10s %8s %7s %9s  %s%n";
        out.printf(f, "CHANNEL", "RATE/S", "BURST", "ADMITTED", "DELAYED", "WAITING", "REFUSED", "SET BY");
        for (ChannelLimit l : limits) {
            out.printf(f, l.channel(), ThrottleCommand.rate(l.packetsPerSecond()), l.burst(), l.admitted(), l.delayed(), l.waiting(), l.refused(),
                    l.reason());
        }
    }
}
