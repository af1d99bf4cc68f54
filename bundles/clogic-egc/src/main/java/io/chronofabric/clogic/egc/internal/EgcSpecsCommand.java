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
        return sb.toString();
    }
}
