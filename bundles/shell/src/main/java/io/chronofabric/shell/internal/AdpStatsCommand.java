package io.chronofabric.shell.internal;

import io.chronofabric.api.adp.AdaptiveProcessor;
import io.chronofabric.api.adp.AdpStats;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** ADP's figures: policy, units, failures, deadline misses, regret estimate, exploration. */
@Service
@Command(scope = "csf", name = "adp-stats", description = "ADP's figures: policy, units submitted/completed/failed, deadline misses, rejections, in flight,"
        + " the regret estimate, the exploration factor and the last choice.")
public class AdpStatsCommand implements Action {

    @Reference(optional = true)
    AdaptiveProcessor adp;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        if (adp == null) {
            out.println("ADP is not running (is the chronofabric-clogic-adp feature installed?)");
            return null;
        }
        out.print(render(adp.stats()));
        return null;
    }

    static String render(AdpStats s) {
        return String.format(Locale.ROOT,
                "policy          %s%nsubmitted       %d%ncompleted       %d%nfailed          %d (deadline misses %d)%nrejected        %d%n"
                        + "in flight       %d%nregret          %.3f (estimated: best mean reward minus the chosen place's, summed)%n"
                        + "exploration     %.3f%nwith features   %d (placed by LinUCB)%nlast choice     %s%n",
                s.policy(), s.submitted(), s.completed(), s.failed(), s.deadlineMisses(), s.rejected(), s.inFlight(), s.regret(), s.exploration(),
                s.contextual(), s.lastChoice().isEmpty() ? "-" : s.lastChoice());
    }
}
