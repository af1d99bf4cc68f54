package io.chronofabric.clogic.egc.internal;

import io.chronofabric.clogic.egc.internal.stl.Miner;
import java.io.PrintStream;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Proposes a spec from a signal's recent samples: the tightest threshold c of a template, plus a margin. */
@Service
@Command(scope = "csf", name = "egc-mine", description = "Parametric STL mining (Asarin et al. 2011): the tightest c for which the template"
        + " (e.g. \"always(temp <= c)\") holds on the signal's recent samples (mining.window ticks), plus a margin; --accept NAME adds it as spec.NAME.")
public class EgcMineCommand implements Action {

    @Option(name = "--margin", description = "Fraction of the signal's range added towards the satisfied side (default: mining.margin, 0.1)")
    double margin = Double.NaN;

    @Option(name = "--accept", description = "Add the proposal to the configuration as spec.NAME (it is then monitored)")
    String accept;

    @Argument(index = 0, name = "signal", required = true, description = "Signal name, as in csf:egc-specs (e.g. temp, bus.recent_p99_us)")
    String signal;

    @Argument(index = 1, name = "template", required = true, multiValued = true,
            description = "Formula over the signal and the parameter c, monotone in c, e.g. \"always(temp <= c)\" (quote it)")
    List<String> template;

    @Reference(optional = true)
    EgcComponent egc;

    @Reference(optional = true)
    ConfigurationAdmin configAdmin;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (egc == null) {
            out.println("EGC is not running (is the chronofabric-clogic-egc feature installed?)");
            return null;
        }
        Miner.Result r = egc.mine(signal, String.join(" ", template), margin);
        out.println(String.format("tightest c = %s over %d samples of %s (%s c satisfies the template)", StlCommand.brief(r.tightest()),
                r.samples(), signal, r.increasing() ? "a larger" : "a smaller"));
        out.println("proposed: " + r.spec());
        if (accept == null) {
            out.println("accept with: csf:egc-mine --accept NAME " + signal + " \"" + String.join(" ", template) + "\"");
            return null;
        }
        if (!accept.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("--accept name '" + accept + "' must be letters, digits and _ (it becomes spec." + accept + ")");
        }
        String monitored = Miner.monitorable(r.spec(), egc.periodMs() / 1000.0); // refuses what cannot be monitored online
        if (configAdmin == null) {
            throw new IllegalStateException("no ConfigurationAdmin service: set spec." + accept + " in etc/" + EgcConfig.PID + ".cfg instead");
        }
        Configuration c = configAdmin.getConfiguration(EgcConfig.PID, "?");
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        props.put(EgcComponent.SPEC_PREFIX + accept, monitored);
        c.update(props);
        out.println("accepted as spec." + accept + " = " + monitored + (monitored.equals(r.spec()) ? "" : " (the invariant, checked at every sample)")
                + "; monitored once the configuration is applied");
        return null;
    }
}
