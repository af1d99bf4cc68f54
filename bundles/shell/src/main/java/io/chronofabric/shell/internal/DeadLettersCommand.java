package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.core.NanoTime;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** Lists the dead-letter log, newest last, or prints one entry in full. */
@Service
@Command(scope = "csf", name = "deadletters",
        description = "Lists the packets the bus could not deliver (the durable dead-letter log), newest last; --details prints one in full.")
public class DeadLettersCommand extends DeadLetterCommandSupport {

    private static final int PAGE = 500;

    @Option(name = "-n", aliases = "--count", description = "How many entries at most (default 20).")
    int count = 20;

    @Option(name = "-f", aliases = "--from", description = "List from this sequence on, oldest first (default: the newest entries).")
    Long from;

    @Option(name = "-c", aliases = "--channel", description = "Only entries of this channel.")
    @Completion(ChannelCompleter.class)
    String channel;

    @Option(name = "-d", aliases = "--details", description = "Prints the entry with this sequence in full (payload, cause, replay state).")
    @Completion(DeadLetterSequenceCompleter.class)
    Long details;

    @Override
    protected void doExecute(PrintStream out) {
        if (details != null) {
            printDetails(out, log.get(details));
            return;
        }
        if (count <= 0) {
            throw new IllegalArgumentException("--count " + count + " must be positive");
        }
        if (log.size() == 0) {
            out.println(emptyText(log));
            return;
        }
        List<DeadLetterEntry> entries = from != null ? forward(log, from, count, channel) : newest(log, count, channel);
        out.println(log.size() + " dead letters held (sequences " + log.firstSequence() + " to " + (log.nextSequence() - 1) + "); showing "
                + entries.size() + (channel != null ? " of channel " + channel : ""));
        if (entries.isEmpty()) {
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Seq").alignRight();
        table.column("HLC time");
        table.column("Recorded (UTC)");
        table.column("Channel");
        table.column("Message");
        table.column("Reason");
        table.column("Replay");
        for (DeadLetterEntry e : entries) {
            table.addRow().addContent(e.sequence(), e.timestamp() == null ? "-" : e.timestamp(), new NanoTime(e.recordedAtNanos()),
                    abbreviate(route(e), 40), e.messageId() == null ? "-" : e.messageId(), abbreviate(e.reason(), 60), replayState(e));
        }
        table.print(out);
    }

    /** Up to {@code max} entries from {@code fromSequence} on, oldest first, of {@code channel} if not null. */
    static List<DeadLetterEntry> forward(DeadLetterLog log, long fromSequence, int max, String channel) {
        List<DeadLetterEntry> out = new ArrayList<>();
        long next = fromSequence;
        while (out.size() < max) {
            List<DeadLetterEntry> page = log.list(next, channel == null ? max - out.size() : PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (DeadLetterEntry e : page) {
                if (out.size() < max && matches(e, channel)) {
                    out.add(e);
                }
            }
            next = page.get(page.size() - 1).sequence() + 1;
        }
        return out;
    }

    /** The newest {@code max} entries of {@code channel} if not null, oldest first. */
    static List<DeadLetterEntry> newest(DeadLetterLog log, int max, String channel) {
        if (channel == null) {
            return log.latest(max);
        }
        List<DeadLetterEntry> out = new ArrayList<>();
        long first = log.firstSequence();
        long hi = log.nextSequence();
        while (hi > first && out.size() < max) {
            long lo = Math.max(first, hi - PAGE);
            List<DeadLetterEntry> page = log.list(lo, (int) (hi - lo));
            for (int i = page.size() - 1; i >= 0 && out.size() < max; i--) {
                DeadLetterEntry e = page.get(i);
                if (e.sequence() < hi && matches(e, channel)) {
                    out.add(e);
                }
            }
            hi = lo;
        }
        Collections.reverse(out);
        return out;
    }

    private static boolean matches(DeadLetterEntry e, String channel) {
        return channel == null || channel.equals(e.channel());
    }

    static void printDetails(PrintStream out, DeadLetterEntry e) {
        out.println("Dead letter " + e.sequence());
        line(out, "message id", e.messageId() == null ? "none (refused before it was stamped)" : e.messageId() + " (value " + e.messageIdValue() + ")");
        line(out, "HLC time", e.timestamp() == null ? "none" : String.valueOf(e.timestamp()));
        line(out, "recorded at", new NanoTime(e.recordedAtNanos()) + " (UTC)");
        line(out, "channel", e.channel() != null ? e.channel() : "none (typed routing by " + e.payloadType() + ")");
        line(out, "payload", e.payloadType() + ": " + e.payloadText());
        line(out, "source", String.valueOf(e.source()));
        line(out, "priority", String.valueOf(e.priority()));
        line(out, "delivery", e.delivery().guarantee() + (e.delivery().isGuaranteed() ? ", " + (e.delivery().maxRetries() == 0 ? "default"
                : String.valueOf(e.delivery().maxRetries())) + " retries" : "")
                + ", timeout " + (e.delivery().timeoutNanos() == 0 ? "default" : Durations.format(e.delivery().timeoutNanos())));
        line(out, "targets", e.targetMask() == -1L ? "all" : "0x" + Long.toHexString(e.targetMask()));
        line(out, "reason", e.reason());
        line(out, "subscription", e.subscription() == null ? "-" : e.subscription());
        String replay;
        if (e.isReplayed()) {
            replay = "replayed " + e.replayCount() + (e.replayCount() == 1 ? " time" : " times") + ", the last as " + e.replayedAs() + " at "
                    + new NanoTime(e.replayedAtNanos()) + " (again only with csf:deadletter-replay --force)";
        } else if (e.replayable()) {
            replay = "replayable (csf:deadletter-replay " + e.sequence() + ")";
        } else {
            replay = "not replayable: " + e.notReplayableReason();
        }
        line(out, "replay", replay);
        if (e.cause() != null) {
            out.println("  cause:");
            for (String l : e.cause().split("\n")) {
                out.println("    " + l.replace("\t", "    ").stripTrailing());
            }
        }
    }

    private static void line(PrintStream out, String label, String value) {
        out.println(String.format("  %-13s %s", label, value));
    }
}
