package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.Subscription;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Prints packets of a channel or type as they arrive, until Ctrl-C. */
@Service
@Command(scope = "csf", name = "tail", description = "Prints packets of a channel (or, with --type, a payload type) as they arrive, until Ctrl-C.")
public class TailCommand extends BusCommandSupport {

    @Argument(index = 0, name = "channel", required = true, description = "Channel name, or a class name with --type.")
    @Completion(ChannelCompleter.class)
    String name;

    @Option(name = "--type", description = "Treat the argument as a payload class name (looked up in the installed bundles).")
    boolean type;

    @Option(name = "-n", aliases = "--count", description = "Stop after this many packets (default: run until Ctrl-C).")
    int count;

    @Reference
    BundleContext bundleContext;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        Subscription<?> spec = type ? Subscription.to(loadClass(name)) : Subscription.toChannel(name);
        int seen = 0;
        try (Receiver<?> r = bus.subscribe(spec)) {
            out.println("Tailing " + (type ? "type " : "channel ") + name + " as " + r.id() + " (Ctrl-C to stop)");
            out.flush();
            while (count <= 0 || seen < count) {
                PhasePacket<?> p;
                try {
                    p = r.take(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                if (p == null) {
                    if (r.isClosed()) {
                        out.println("The bus stopped; tail ended");
                        break;
                    }
                    continue;
                }
                seen++;
                out.println(p.timestamp() + "  " + p.messageId() + "  " + p.priority() + "  " + abbreviate(String.valueOf(p.payload())));
                out.flush();
            }
        }
    }

    private Class<?> loadClass(String className) {
        for (Bundle b : bundleContext.getBundles()) {
            try {
                return b.loadClass(className);
            } catch (ClassNotFoundException | RuntimeException e) {
                // try the next bundle
            }
        }
        throw new IllegalArgumentException("No installed bundle can load class '" + className + "'");
    }

    static String abbreviate(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
    }
}
