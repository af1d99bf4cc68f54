package io.chronofabric.shell.internal;

import io.chronofabric.api.adp.AdaptiveProcessor;
import io.chronofabric.api.adp.WorkUnit;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Submits demonstration units to ADP one after the other and says where each kind went. */
@Service
@Command(scope = "csf", name = "adp-run", description = "Submits N demonstration units to ADP (each sleeps the given time), one after the other,"
        + " and prints how many ran where and how they ended.")
public class AdpRunCommand implements Action {

    @Option(name = "-n", aliases = "--count", description = "Units to submit (1..100000, default 20).")
    int count = 20;

    @Option(name = "-s", aliases = "--sleep-ms", description = "How long each unit sleeps, ms (default 1).")
    long sleepMs = 1;

    @Option(name = "-d", aliases = "--deadline-ms", description = "Each unit's deadline, ms (default none).")
    long deadlineMs;

    @Option(name = "-f", aliases = "--features", description = "Features each unit carries, comma separated (as many as linucb.features); none by default.")
    String features;

    @Reference(optional = true)
    AdaptiveProcessor adp;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (adp == null) {
            out.println("ADP is not running (is the chronofabric-clogic-adp feature installed?)");
            return null;
        }
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("--count " + count + " is outside 1..100000");
        }
        if (sleepMs < 0 || deadlineMs < 0) {
            throw new IllegalArgumentException("--sleep-ms and --deadline-ms must be >= 0");
        }
        double[] x = new double[0];
        if (features != null && !features.isBlank()) {
            String[] parts = features.split(",");
            x = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    x[i] = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--features: '" + parts[i].trim() + "' is not a number");
                }
            }
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        long ms = sleepMs;
        for (int i = 0; i < count; i++) {
            WorkUnit.Builder<String> b = WorkUnit.task("adp-run-" + i, () -> {
                Thread.sleep(ms);
                return "ok";
            }).features(x);
            if (deadlineMs > 0) {
                b.deadline(Duration.ofMillis(deadlineMs));
            }
            CompletionStage<String> s = adp.submit(b.build());
            String outcome;
            try {
                s.toCompletableFuture().get(60, TimeUnit.SECONDS);
                outcome = "ok";
            } catch (ExecutionException e) {
                outcome = e.getCause().getClass().getSimpleName();
            }
            outcomes.merge(adp.stats().lastChoice() + " " + outcome, 1, Integer::sum);
        }
        outcomes.forEach((k, v) -> out.println(k + " " + v));
        return null;
    }
}
