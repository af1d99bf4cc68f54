package io.chronofabric.clogic.egc.internal;

import io.chronofabric.clogic.egc.internal.stl.Offline;
import io.chronofabric.clogic.egc.internal.stl.Spec;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Offline STL robustness of signals given on the command line (period 1). */
@Service
@Command(scope = "csf", name = "stl", description = "Offline robustness (Donzé & Maler 2010) of an STL formula in RTAMT's language over"
        + " signals given as --input name=v0,v1,...; period 1 (interval bounds are samples); prints t=<i> <value> per sample.")
public class StlCommand implements Action {

    @Option(name = "--input", aliases = "-i", multiValued = true, description = "A signal: name=v0,v1,... (repeat for each signal; all the same length)")
    List<String> inputs;

    @Argument(index = 0, name = "formula", required = true, multiValued = true,
            description = "The formula or specification, e.g. \"eventually[0:1](a >= b)\" (quote it: the console splits on spaces and reads parentheses)")
    List<String> formula;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        out.print(run(String.join(" ", formula), inputs == null ? List.of() : inputs));
        return null;
    }

    /** The whole command without the console (tests call this). */
    static String run(String formula, List<String> inputs) {
        Map<String, double[]> signals = new LinkedHashMap<>();
        for (String in : inputs) {
            int eq = in.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--input '" + in + "' is not name=v0,v1,...");
            }
            String name = in.substring(0, eq).trim();
            if (signals.containsKey(name)) {
                throw new IllegalArgumentException("--input " + name + " is given twice");
            }
            signals.put(name, parse(name, in.substring(eq + 1)));
        }
        Spec spec = Spec.parse(formula, 1.0);
        double[] r = Offline.evaluate(spec, signals);
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < r.length; t++) {
            sb.append("t=").append(t).append(' ').append(format(r[t])).append('\n');
        }
        return sb.toString();
    }

    static String format(double v) {
        return Numbers.format(v);
    }

    static String brief(double v) {
        return Numbers.brief(v);
    }

    private static double[] parse(String name, String csv) {
        String[] parts = csv.trim().split("[,;\\s]+");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            try {
                v[i] = switch (p) {
                    case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(p);
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("signal '" + name + "' sample " + i + " '" + p + "' is not a number");
            }
            if (Double.isNaN(v[i])) {
                throw new IllegalArgumentException("signal '" + name + "' sample " + i + " is NaN");
            }
        }
        return v;
    }
}
