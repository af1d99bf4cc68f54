package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.ServiceUnavailableException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Republishes dead letters through the bus. */
@Service
@Command(scope = "csf", name = "deadletter-replay",
        description = "Republishes dead letters through the bus (a copy: same payload, channel, priority, targets, delivery; no deadline, no causal dependencies).")
public class DeadLetterReplayCommand extends DeadLetterCommandSupport {

    private static final int PAGE = 500;

    @Argument(index = 0, name = "sequences", multiValued = true,
            description = "Sequences to replay: numbers like 12 or ranges like 12-40 (Tab completes the newest).")
    @Completion(DeadLetterSequenceCompleter.class)
    List<String> sequences;

    @Option(name = "-a", aliases = "--all", description = "Replay every entry held (replayed ones only with --force).")
    boolean all;

    @Option(name = "-f", aliases = "--force", description = "Replay entries that were replayed before, too.")
    boolean force;

    /** A selection: one sequence (single) or every held entry in [from, to]. */
    record Selection(long from, long to, boolean single, String text) {
    }

    @Override
    protected void doExecute(PrintStream out) {
        List<Selection> selections;
        if (all) {
            if (sequences != null && !sequences.isEmpty()) {
                throw new IllegalArgumentException("Give sequences or --all, not both");
            }
            if (log.size() == 0) {
                out.println(emptyText(log));
                return;
            }
            // up to the newest entry now: copies that fail again are recorded after it and are not replayed in turn
            selections = List.of(new Selection(log.firstSequence(), log.nextSequence() - 1, false, "all"));
        } else {
            if (sequences == null || sequences.isEmpty()) {
                throw new IllegalArgumentException("Give the sequences to replay (e.g. 12 or 12-40; csf:deadletters lists them) or --all");
            }
            selections = parse(sequences);
        }
        replay(log, selections, force, out);
    }

    /**
     * Parses {@code 12} and {@code 12-40}.
     *
     * @throws IllegalArgumentException naming the text that is not a sequence or range
     */
    static List<Selection> parse(List<String> texts) {
        List<Selection> out = new ArrayList<>();
        for (String raw : texts) {
            for (String t : raw.split(",")) {
                String text = t.trim();
                if (text.isEmpty()) {
                    continue;
                }
                int dash = text.indexOf('-', 1);
                try {
                    if (dash < 0) {
                        long s = nonNegative(Long.parseLong(text), text);
                        out.add(new Selection(s, s, true, text));
                    } else {
                        long from = nonNegative(Long.parseLong(text.substring(0, dash).trim()), text);
                        long to = nonNegative(Long.parseLong(text.substring(dash + 1).trim()), text);
                        if (to < from) {
                            throw new IllegalArgumentException("Range '" + text + "' ends before it starts");
                        }
                        out.add(new Selection(from, to, false, text));
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a sequence or a range like 12-40");
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("No sequences given");
        }
        return out;
    }

    private static long nonNegative(long v, String text) {
        if (v < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a sequence or a range like 12-40");
        }
        return v;
    }

    /** Replays the selections in order, printing each new id or refusal; stops when the bus is unavailable. */
    static void replay(DeadLetterLog log, List<Selection> selections, boolean force, PrintStream out) {
        int replayed = 0;
        int refused = 0;
        try {
            for (Selection sel : selections) {
                if (sel.single()) {
                    if (replayOne(log, sel.from(), force, out)) {
                        replayed++;
                    } else {
                        refused++;
                    }
                    continue;
                }
                long next = sel.from();
                boolean any = false;
                pages:
                while (true) {
                    List<DeadLetterEntry> page = log.list(next, PAGE);
                    for (DeadLetterEntry e : page) {
                        if (e.sequence() > sel.to()) {
                            break pages;
                        }
                        any = true;
                        if (replayOne(log, e.sequence(), force, out)) {
                            replayed++;
                        } else {
                            refused++;
                        }
                        next = e.sequence() + 1;
                    }
                    if (page.size() < PAGE) {
                        break;
                    }
                }
                if (!any) {
                    out.println(sel.text() + ": no dead letters in that range (" + (log.size() == 0 ? emptyText(log)
                            : "the log holds sequences " + log.firstSequence() + " to " + (log.nextSequence() - 1)) + ")");
                }
            }
        } catch (ServiceUnavailableException e) {
            out.println("Stopped: " + e.getMessage());
            refused++;
        }
        out.println("Replayed " + replayed + ", refused " + refused);
    }

    /** Returns whether it was replayed; a refusal is printed. ServiceUnavailableException propagates (nothing else could succeed). */
    private static boolean replayOne(DeadLetterLog log, long sequence, boolean force, PrintStream out) {
        try {
            MessageId id = log.replay(sequence, force);
            out.println(sequence + ": replayed as " + id);
            return true;
        } catch (ServiceUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            out.println(sequence + ": refused: " + e.getMessage());
            return false;
        }
    }
}
