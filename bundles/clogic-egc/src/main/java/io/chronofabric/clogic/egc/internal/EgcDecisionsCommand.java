package io.chronofabric.clogic.egc.internal;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** EGC's recent governance decisions, newest last. */
@Service
@Command(scope = "csf", name = "egc-decisions", description = "The most recent governance decisions EGC made (newest last): spec, event, robustness, rule, decision.")
public class EgcDecisionsCommand implements Action {

    @Option(name = "-n", aliases = "--count", description = "Decisions shown at most (default 20)")
    int count = 20;

    @Reference(optional = true)
    EgcComponent egc;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (egc == null) {
            out.println("EGC is not running (is the chronofabric-clogic-egc feature installed?)");
            return null;
        }
        List<EgcEngine.DecisionRecord> all = egc.engine.decisions();
        if (all.isEmpty()) {
            out.println("no decisions yet");
        }
        for (EgcEngine.DecisionRecord d : all.subList(Math.max(0, all.size() - Math.max(1, count)), all.size())) {
            out.printf("%-16s %-9s robustness %-10s -> %s/%s %s %s   [%s]%n", d.spec(), d.violation() ? "violated" : "recovered",
                    StlCommand.brief(d.robustness()), d.decision().module(), d.decision().analysis(), d.decision().action(),
                    StlCommand.brief(d.decision().value()), d.rule());
            String outcome = Actuator.outcomeOf(d.decision());
            if (!outcome.isEmpty()) {
                out.printf("    %s%n", outcome);
            }
            if (!d.vote().isEmpty() || !"local".equals(d.origin())) {
                String from = "local".equals(d.origin()) ? "" : "from " + d.origin() + (d.index() >= 0 ? ", log index " + d.index() : "");
                String vote = d.vote().isEmpty() ? "" : "vote " + d.vote();
                out.printf("    %s%s%s%n", from, from.isEmpty() || vote.isEmpty() ? "" : "; ", vote);
            }
        }
        return null;
    }
}
