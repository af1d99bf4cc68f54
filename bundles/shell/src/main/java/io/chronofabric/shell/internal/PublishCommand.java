package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.time.TimeSource;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Publishes a text packet on a channel. */
@Service
@Command(scope = "csf", name = "publish", description = "Publishes a text packet on a channel.")
public class PublishCommand extends BusCommandSupport {

    @Argument(index = 0, name = "channel", required = true, description = "The channel (Tab completes known channels).")
    @Completion(ChannelCompleter.class)
    String channel;

    @Argument(index = 1, name = "text", required = true, description = "The payload text (not empty).")
    String text;

    @Option(name = "-p", aliases = "--priority", description = "low, normal, high or critical (default normal).")
    @Completion(value = StringsCompleter.class, values = {"low", "normal", "high", "critical"})
    String priority = "normal";

    @Option(name = "-t", aliases = "--targets", description = "Target components: ids like 1,5,9 or a hex mask like 0x22 (default all).")
    String targets;

    @Option(name = "-d", aliases = "--deadline-ms", description = "Deadline in ms from now; not delivered after it.")
    Long deadlineMs;

    @Option(name = "-g", aliases = "--guaranteed", description = "Guaranteed delivery: retry when a queue is full, never drop silently.")
    boolean guaranteed;

    @Option(name = "-r", aliases = "--retries", description = "Retries for --guaranteed (default: the bus's default).")
    int retries;

    @Option(name = "--traceparent", description = "A W3C traceparent (00-<32 hex>-<16 hex>-01) the packet continues; "
            + "its spans show in csf:trace when the trace store is present.")
    String traceparent;

    @Option(name = "--trace", description = "Start a new sampled trace for this packet and print its id.")
    boolean trace;

    @Reference(optional = true)
    TimeSource time;

    @Override
    protected void doExecute(PrintStream out) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("The payload text is empty; give the text to publish");
        }
        PhasePacket.Builder<String> b = PhasePacket.builder(text).channel(channel).priority(Priority.parse(priority));
        if (targets != null) {
            b.targets(parseTargets(targets));
        }
        if (deadlineMs != null) {
            if (deadlineMs < 0) {
                throw new IllegalArgumentException("--deadline-ms " + deadlineMs + " is negative: give milliseconds from now");
            }
            if (time == null) {
                throw new IllegalStateException("--deadline-ms needs the TimeSource service, which is not registered");
            }
            b.deadline(time.nowNanos() + deadlineMs * 1_000_000L);
        }
        if (guaranteed) {
            b.guaranteed(retries);
        } else if (retries != 0) {
            throw new IllegalArgumentException("--retries applies only with --guaranteed");
        }
        if (traceparent != null && trace) {
            throw new IllegalArgumentException("Give --traceparent or --trace, not both");
        }
        if (traceparent != null) {
            b.traceparent(traceparent);
        } else if (trace) {
            b.newTrace(); // the bus roots it at this packet's publish span
        }
        PhasePacket<String> p = b.build();
        long id = bus.publish(p);
        out.println("Published " + new MessageId(id) + " at " + p.timestamp() + " on " + channel + " to "
                + bus.subscriberCount(channel) + " direct subscriber(s)"
                + (p.trace() != null ? "; trace " + p.trace().traceId() : ""));
    }

    /** Component ids separated by commas, or a hex mask. */
    static long parseTargets(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            long mask = 0;
            for (String part : t.split(",")) {
                mask |= ComponentId.of(Integer.parseInt(part.trim())).mask();
            }
            return mask;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--targets '" + text + "' is neither component ids like 1,5,9 nor a hex mask like 0x22");
        }
    }
}
