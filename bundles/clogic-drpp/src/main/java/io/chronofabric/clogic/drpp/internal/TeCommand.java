package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.clogic.drpp.internal.algo.DiscreteTransferEntropy;
import io.chronofabric.clogic.drpp.internal.algo.KsgTransferEntropy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Transfer entropy of two series given on the command line or in a file. */
@Service
@Command(scope = "csf", name = "te", description = "Transfer entropy from a source series to a target series: discrete "
        + "(binned, bits; Schreiber 2000, counted like the Inform library) or KSG (Kraskov et al. 2004 algorithm 1, max-norm, nats).")
public class TeCommand implements Action {

    @Option(name = "--k", description = "Target history length k, 1..16 (default 1)")
    int k = 1;

    @Option(name = "--l", description = "Source history length l, 1..16 (default 1)")
    int l = 1;

    @Option(name = "--estimator", description = "discrete (default) or ksg")
    String estimator = "discrete";

    @Option(name = "--bins", description = "Discrete: bins (default 2; integer values in [0,bins) are used as they are, others get equal-width bins)")
    int bins = 2;

    @Option(name = "--neighbours", description = "KSG: nearest neighbours K, 1..64 (default 4)")
    int neighbours = 4;

    @Option(name = "--surrogates", description = "KSG: permutation surrogates for a p-value, 0..10000 (default 0 = no p-value)")
    int surrogates = 0;

    @Option(name = "--file", description = "Read both series from a file instead: two columns source,target per line (comma, semicolon, tab or space separated; '#' comments and a header line are skipped)")
    String file;

    @Argument(index = 0, name = "source", description = "Source series, comma separated, e.g. 1,1,0,0,1", required = false)
    String source;

    @Argument(index = 1, name = "target", description = "Target series, comma separated, same length", required = false)
    String target;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = session.getConsole();
        double[][] xy = series();
        out.println(compute(xy[0], xy[1], estimator, k, l, bins, neighbours, surrogates));
        return null;
    }

    private double[][] series() throws IOException {
        if (file != null) {
            if (source != null) {
                throw new IllegalArgumentException("give either --file or the two series, not both");
            }
            return readColumns(Paths.get(file));
        }
        if (source == null || target == null) {
            throw new IllegalArgumentException("give a source and a target series (e.g. csf:te 1,1,0,0,1 1,1,1,0,0) or --file");
        }
        return new double[][] {parse(source, "source"), parse(target, "target")};
    }

    /** The whole computation and its output line, without the console (tests call this). */
    static String compute(double[] x, double[] y, String estimator, int k, int l, int bins, int neighbours, int surrogates) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("source has " + x.length + " values, target " + y.length + ": they must have the same length");
        }
        switch (estimator == null ? "" : estimator.toLowerCase(Locale.ROOT)) {
            case "discrete" -> {
                DiscreteTransferEntropy.checkParameters(bins, k, l);
                if (x.length <= Math.max(k, l)) {
                    throw new IllegalArgumentException("series of " + x.length + " values leave no observation with k = " + k + ", l = " + l);
                }
                int[] xs = DiscreteTransferEntropy.discretise(x, bins);
                int[] ys = DiscreteTransferEntropy.discretise(y, bins);
                double te = DiscreteTransferEntropy.compute(xs, ys, bins, k, l);
                return String.format(Locale.ROOT, "TE = %.6f bits", te);
            }
            case "ksg" -> {
                if (surrogates < 0 || surrogates > 10_000) {
                    throw new IllegalArgumentException("--surrogates must be in [0, 10000], was " + surrogates);
                }
                KsgTransferEntropy ksg = new KsgTransferEntropy(k, l, neighbours);
                KsgTransferEntropy.Result r = ksg.compute(x, y, surrogates, 1);
                return surrogates == 0
                        ? String.format(Locale.ROOT, "TE = %.6f nats (KSG K=%d, %d observations)", r.value(), neighbours, r.observations())
                        : String.format(Locale.ROOT, "TE = %.6f nats (KSG K=%d, %d observations, p = %.4f from %d surrogates)", r.value(),
                                neighbours, r.observations(), r.pValue(), surrogates);
            }
            default -> throw new IllegalArgumentException("--estimator must be discrete or ksg, was '" + estimator + "'");
        }
    }

    static double[] parse(String csv, String what) {
        String[] parts = csv.trim().split("[,;\\s]+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " value " + (i + 1) + " '" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(out[i])) {
                throw new IllegalArgumentException(what + " value " + (i + 1) + " is " + out[i] + ": only finite numbers");
            }
        }
        return out;
    }

    static double[][] readColumns(Path path) throws IOException {
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("cannot read " + path);
        }
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<double[]> rows = new ArrayList<>();
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[,;\\s]+");
            if (parts.length < 2) {
                throw new IllegalArgumentException(path + " line " + lineNo + ": expected two columns source,target, got '" + line + "'");
            }
            try {
                rows.add(new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])});
            } catch (NumberFormatException e) {
                if (rows.isEmpty() && lineNo == 1) {
                    continue; // a header line
                }
                throw new IllegalArgumentException(path + " line " + lineNo + ": '" + line + "' is not two numbers");
            }
        }
        double[][] xy = new double[2][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            xy[0][i] = rows.get(i)[0];
            xy[1][i] = rows.get(i)[1];
        }
        return xy;
    }
}
