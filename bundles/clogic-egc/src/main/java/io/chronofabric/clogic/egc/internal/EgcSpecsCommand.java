package io.chronofabric.clogic.egc.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** EGC's specifications and their current robustness. */
@Service
@Command(scope = "csf", name = "egc-specs", description = "EGC's STL specifications: inputs, delay, samples, current robustness, violations and recoveries.")
public class EgcSpecsCommand implements Action {

    @Reference(optional = true)
    EgcComponent egc;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        out.print(egc == null ? "EGC is not running (is the chronofabric-clogic-egc feature installed?)\n" : render(egc));
        return null;
    }

    static String render(EgcComponent egc) {
        StringBuilder sb = new StringBuilder();
        sb.append("EGC: ").append(egc.state().activity()).append(", decisions on ").append(egc.outputChannel()).append('\n');
        for (EgcEngine.SpecView v : egc.engine.specs()) {
            sb.append(String.format("%-16s robustness %-10s %-9s violations %d, recoveries %d, %d samples, delay %d; %s%n", v.name(),
                    Double.isNaN(v.robustness()) ? "-" : StlCommand.brief(v.robustness()), v.violated() ? "VIOLATED" : "ok", v.violations(),
                    v.recoveries(), v.steps(), v.delay(), v.status()));
            sb.append("    ").append(v.text().strip().replace("\n", "\n    ")).append("   inputs ").append(v.inputs()).append('\n');
        }
        sb.append(String.format(java.util.Locale.ROOT, "modulation: activation %.2f, valence %.2f -> hysteresis %s, ALERT severity x%.2f%n",
                egc.engine.activation(), egc.engine.valence(), StlCommand.brief(egc.engine.hysteresis()), egc.engine.severityFactor()));
        sb.append("decisions ").append(egc.engine.replicated() ? "through the consensus log as node " + egc.engine.localNode() : "local")
                .append(", wrong ").append(egc.engine.wrongs()).append(", duplicates ").append(egc.engine.duplicates()).append('\n');
        java.util.Map<String, Double> w = egc.engine.weights();
        if (!w.isEmpty()) {
            sb.append("proposer weights (weighted majority):\n");
            w.forEach((rule, weight) -> sb.append(String.format("    %-10s %s%n", StlCommand.brief(weight), rule)));
        }
        return sb.toString();
    }
}
