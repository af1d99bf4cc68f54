package io.chronofabric.shell.internal;

import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.TimeOracle;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Shows the time oracle's hint, or pins / unpins it. */
@Service
@Command(scope = "csf", name = "oracle", description = "Shows the time oracle's hint and why; --pin HINT [--for 30s] [--reason ...] overrides its controller"
        + " (until --unpin when --for is not given), --unpin gives the hint back to the controller.")
public class OracleCommand implements Action {

    @Option(name = "--pin", description = "Pin the hint: MINIMIZE_LATENCY, MAXIMIZE_THROUGHPUT or BALANCED (case does not matter).")
    String pin;

    @Option(name = "--for", description = "How long the pin holds: a whole number with ns, us, ms, s, m or h (e.g. 30s); default until --unpin.")
    String duration;

    @Option(name = "--reason", description = "Why, shown in the oracle's explanation (default: console).")
    String reason = "console";

    @Option(name = "--unpin", description = "Remove the pin.")
    boolean unpin;

    @Reference(optional = true)
    TimeOracle oracle;

    @Reference
    Session session;

    @Override
    public Object execute() {
        run(session.getConsole());
        return null;
    }

    void run(PrintStream out) {
        if (oracle == null) {
            out.println("No TimeOracle service is registered (is the chronofabric-scheduler feature installed and started?)");
            return;
        }
        if (pin != null && unpin) {
            throw new IllegalArgumentException("--pin and --unpin exclude each other");
        }
        if (duration != null && pin == null) {
            throw new IllegalArgumentException("--for goes with --pin HINT");
        }
        if (unpin) {
            Optional<HintPin> was = oracle.unpin();
            out.println(was.map(p -> "Unpinned the oracle (was " + p.hint() + (p.reason().isEmpty() ? "" : ", " + p.reason()) + ")")
                    .orElse("The oracle had no pin"));
        } else if (pin != null) {
            OptimizationHint h = parseHint(pin);
            long nanos = duration == null ? 0 : Durations.parseNanos(duration);
            if (duration != null && nanos == 0) {
                throw new IllegalArgumentException("--for " + duration + " is no time; leave --for out to pin until --unpin");
            }
            HintPin p = oracle.pin(h, nanos, reason == null ? "" : reason);
            out.println("Oracle hint pinned to " + p.hint() + (p.untilUnpinned() ? " until unpinned" : " for " + Durations.format(nanos)));
        }
        out.println("Hint        : " + oracle.currentHint());
        out.println("Pin         : " + oracle.pinned().map(OracleCommand::describe).orElse("none (the controller decides)"));
        out.println("Explanation : " + oracle.explanation());
    }

    static OptimizationHint parseHint(String text) {
        try {
            return OptimizationHint.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a hint: use one of " + Arrays.toString(OptimizationHint.values()));
        }
    }

    static String describe(HintPin p) {
        return p.hint() + (p.untilUnpinned() ? " until unpinned" : ", " + Durations.format(p.remainingNanos()) + " left")
                + (p.reason().isEmpty() ? "" : " (" + p.reason() + ")");
    }
}
