package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.core.ComponentId;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Publishes numbers as Sample packets of a named stream, for trying DRPP from the console. */
@Service
@Command(scope = "csf", name = "drpp-feed", description = "Publishes numbers as Sample packets of a stream on a channel (default drpp.input), "
        + "or a generated sine, so DRPP can be tried from the console.")
public class DrppFeedCommand implements Action {

    @Option(name = "-c", aliases = "--channel", description = "Channel to publish on (default drpp.input)")
    String channel = ClogicChannels.DRPP_INPUT;

    @Option(name = "--sine", description = "Instead of values: this many samples of sin(2 pi f n / rate) (with --frequency, --rate, --amplitude)")
    int sine;

    @Option(name = "--frequency", description = "--sine frequency in Hz (default 8)")
    double frequency = 8;

    @Option(name = "--rate", description = "--sine sample rate in Hz (default 64)")
    double rate = 64;

    @Option(name = "--amplitude", description = "--sine amplitude (default 1)")
    double amplitude = 1;

    @Option(name = "--offset", description = "Added to every generated value (default 0): a second call with another offset makes a level shift")
    double offset;

    @Argument(index = 0, name = "stream", description = "Stream name", required = true)
    String stream;

    @Argument(index = 1, name = "values", description = "Values, comma separated (not with --sine)", required = false)
    String values;

    @Reference(optional = true)
    EventBus bus;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (bus == null) {
            out.println("No EventBus is registered (is chronofabric-bus installed?)");
            return null;
        }
        Channels.requireValid(channel);
        double[] v;
        if (sine > 0) {
            if (values != null) {
                throw new IllegalArgumentException("give values or --sine, not both");
            }
            if (!(rate > 0) || !(frequency >= 0)) {
                throw new IllegalArgumentException("--rate must be > 0 and --frequency >= 0");
            }
            v = new double[sine];
            for (int n = 0; n < sine; n++) {
                v[n] = offset + amplitude * Math.sin(2 * Math.PI * frequency * n / rate);
            }
        } else {
            if (values == null) {
                throw new IllegalArgumentException("give the values (e.g. 1,2,3) or --sine N");
            }
            v = TeCommand.parse(values, "values");
            for (int i = 0; i < v.length; i++) {
                v[i] += offset;
            }
        }
        RoutingMetadata routing = RoutingMetadata.defaults(ComponentId.SYSTEM);
        for (double x : v) {
            bus.publish(PhasePacket.of(new Sample(stream, x, 0), channel, routing));
        }
        out.println("published " + v.length + " samples of stream '" + stream + "' on " + channel);
        return null;
    }
}
