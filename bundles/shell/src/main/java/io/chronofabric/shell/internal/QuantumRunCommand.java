package io.chronofabric.shell.internal;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.NamedCircuit;
import io.chronofabric.api.quantum.QuantumResult;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.osgi.framework.BundleContext;

/** Runs an OpenQASM 2.0 file on the QuantumSimulator and prints the counts (and the state). */
@Service
@Command(scope = "csf", name = "quantum-run", description = "Runs an OpenQASM 2.0 file on the quantum simulator: prints measurement counts "
        + "('00: 512') and, with --state, the final amplitudes ('|011> 0.707107+0.000000i').")
public class QuantumRunCommand extends QuantumCommandSupport {

    @Argument(index = 0, name = "file", required = true, description = "The .qasm file (OpenQASM 2.0; relative to the Karaf home), or the name"
            + " of a registered circuit (deploy/<name>.qasm).")
    @Completion(FileCompleter.class)
    String file;

    @Reference
    BundleContext bundleContext;

    @Option(name = "-n", aliases = "--shots", description = "How many times to sample the measurements (default 1024; 0 for none).")
    int shots = 1024;

    @Option(name = "-s", aliases = "--seed", description = "Seed of the sampling, for reproducible counts (default: a random one, printed).")
    Long seed;

    @Option(name = "--state", description = "Also print the final state vector (nonzero amplitudes, at most --max-amplitudes of them).")
    boolean state;

    @Option(name = "--max-amplitudes", description = "Most amplitudes --state prints (default 64).")
    int maxAmplitudes = 64;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        if (shots < 0) {
            throw new IllegalArgumentException("--shots " + shots + " is negative");
        }
        Path path = Path.of(file);
        Circuit circuit;
        String shownName;
        if (Files.isRegularFile(path)) {
            circuit = simulator.parseQasm(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8));
            shownName = path.getFileName().toString();
        } else {
            NamedCircuit named = named(file);
            if (named == null) {
                throw new IllegalArgumentException("No such file: " + path.toAbsolutePath() + ", and no circuit named '" + file
                        + "' is registered (deploy/<name>.qasm registers one)");
            }
            circuit = named.circuit();
            shownName = named.name() + " (" + named.source() + ")";
        }
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        QuantumResult r = simulator.run(circuit, shots, s, state);
        out.println(String.format(Locale.ROOT, "%s: %d qubits, %d gates, %d measurements; %d shots, seed %d; gates %s, sampling %s",
                shownName, circuit.qubits(), circuit.gateCount(), circuit.measurementCount(), shots, r.seed(),
                Durations.format(r.gateNanos()), Durations.format(r.samplingNanos())));
        for (Map.Entry<String, Long> e : r.counts().entrySet()) {
            out.println(e.getKey() + ": " + e.getValue());
        }
        if (state) {
            printState(out, r, maxAmplitudes);
        }
    }

    private NamedCircuit named(String name) throws Exception {
        if (bundleContext == null || !name.matches("[A-Za-z0-9_.-]+")) {
            return null;
        }
        var refs = bundleContext.getServiceReferences(NamedCircuit.class, "(" + NamedCircuit.NAME_PROPERTY + "=" + name + ")");
        if (refs.isEmpty()) {
            return null;
        }
        var ref = refs.iterator().next();
        NamedCircuit c = bundleContext.getService(ref);
        try {
            return c;
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    static void printState(PrintStream out, QuantumResult r, int max) {
        double[] re = r.stateReal();
        double[] im = r.stateImag();
        int shown = 0;
        int nonzero = 0;
        for (int i = 0; i < re.length; i++) {
            if (Math.abs(re[i]) < 5e-7 && Math.abs(im[i]) < 5e-7) {
                continue;
            }
            nonzero++;
            if (shown < max) {
                out.println(ket(i, r.qubits()) + " " + complex(re[i], im[i]));
                shown++;
            }
        }
        if (nonzero > shown) {
            out.println("... " + (nonzero - shown) + " more nonzero amplitudes (--max-amplitudes)");
        }
    }
}
