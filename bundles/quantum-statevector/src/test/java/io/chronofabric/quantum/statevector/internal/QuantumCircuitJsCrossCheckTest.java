package io.chronofabric.quantum.statevector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.QuantumResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random OpenQASM 2 circuits through our parser and simulator and through the npm package
 * {@code quantum-circuit} (0.9.250, MIT; an independent simulator with its own QASM reader),
 * compared up to a global phase (qelib1's rz is u1, ours is Nielsen and Chuang's).
 *
 * <p>Runs when {@code node} is on the PATH and {@code require('quantum-circuit')} resolves: from
 * {@code src/test/npm/node_modules} of this module (pinned by its {@code package-lock.json};
 * {@code .ci/run} installs it with {@code npm ci}), or from {@code NODE_PATH} when that is set;
 * otherwise it is skipped with a message saying so. The Maven build itself never installs it.
 */
class QuantumCircuitJsCrossCheckTest {

    private static Path script;
    /** Where node looks for the package: the pinned copy of this module when installed, else the caller's NODE_PATH. */
    private static String nodePath;

    private static ProcessBuilder node(String... args) {
        ProcessBuilder b = new ProcessBuilder(args);
        if (nodePath != null) {
            b.environment().put("NODE_PATH", nodePath);
        }
        return b;
    }

    @BeforeAll
    static void findNodeAndPackage() throws Exception {
        String why = null;
        Path pinned = Path.of("src", "test", "npm", "node_modules").toAbsolutePath();
        if (Files.isDirectory(pinned.resolve("quantum-circuit"))) {
            nodePath = pinned.toString();
        }
        try {
            Process p = node("node", "-e", "require.resolve('quantum-circuit')").redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                why = "the npm package quantum-circuit does not resolve from node (run `npm ci` in "
                        + "bundles/quantum-statevector/src/test/npm, as .ci/run does, or set NODE_PATH)";
            }
        } catch (IOException e) {
            why = "node is not on the PATH";
        }
        if (why != null) {
            System.out.println("SKIPPED QuantumCircuitJsCrossCheckTest: " + why);
        }
        Assumptions.assumeTrue(why == null, "SKIPPED: " + why);
        script = Files.createTempFile("quantum-circuit-state", ".js");
        try (InputStream in = QuantumCircuitJsCrossCheckTest.class.getResourceAsStream("/quantum-circuit-state.js")) {
            Files.write(script, in.readAllBytes());
        }
        script.toFile().deleteOnExit();
    }

    private static final String[] ONE = {"h", "x", "y", "z", "s", "sdg", "t", "tdg"};
    private static final String[] ROT = {"rx", "ry", "rz", "u1"};
    private static final String[] TWO = {"cx", "cz", "swap"};

    @Test
    void shouldAgreeWithQuantumCircuitJsOnRandomQasmCircuits() throws Exception {
        for (long seed = 1; seed <= 12; seed++) {
            int n = 2 + (int) (seed % 5);
            String qasm = randomQasm(n, 60, seed);
            QuantumResult ours = new StateVectorSimulator(Engine.Options.defaults().withThreads(1)).run(
                    QasmParser.parse("random-" + seed, qasm), 0, 0, true);
            double[][] theirs = runNode(qasm);
            assertThat(theirs[0]).as("amplitudes from quantum-circuit").hasSize(1 << n);
            double f = QuantumTestSupport.fidelity(ours.stateReal(), ours.stateImag(), theirs[0], theirs[1]);
            assertThat(f).as("|<ours|theirs>| for seed %d:%n%s", seed, qasm).isCloseTo(1.0, within(1e-9));
        }
    }

    static String randomQasm(int n, int gates, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[" + n + "];\n");
        for (int g = 0; g < gates; g++) {
            int kind = r.nextInt(n >= 3 ? 5 : 4);
            switch (kind) {
                case 0 -> b.append(ONE[r.nextInt(ONE.length)]).append(" q[").append(r.nextInt(n)).append("];\n");
                case 1 -> b.append(ROT[r.nextInt(ROT.length)]).append(String.format(Locale.ROOT, "(%.6f)", r.nextDouble() * 6 - 3))
                        .append(" q[").append(r.nextInt(n)).append("];\n");
                case 2 -> {
                    int[] q = QuantumTestSupport.distinct(r, n, 2);
                    b.append(TWO[r.nextInt(TWO.length)]).append(" q[").append(q[0]).append("],q[").append(q[1]).append("];\n");
                }
                case 3 -> b.append(String.format(Locale.ROOT, "u3(%.6f,%.6f,%.6f) q[%d];%n", r.nextDouble() * 3, r.nextDouble() * 6 - 3,
                        r.nextDouble() * 6 - 3, r.nextInt(n)));
                default -> {
                    int[] q = QuantumTestSupport.distinct(r, n, 3);
                    b.append("ccx q[").append(q[0]).append("],q[").append(q[1]).append("],q[").append(q[2]).append("];\n");
                }
            }
        }
        return b.toString();
    }

    private static final Pattern PAIR = Pattern.compile("\\[(-?[0-9.eE+-]+),(-?[0-9.eE+-]+)\\]");

    private static double[][] runNode(String qasm) throws Exception {
        Process p = node("node", script.toString()).start();
        p.getOutputStream().write(qasm.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("node: %s", err).isZero();
        String state = out.substring(out.indexOf("\"state\""));
        List<double[]> amps = new ArrayList<>();
        Matcher m = PAIR.matcher(state);
        while (m.find()) {
            amps.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        }
        double[][] result = new double[2][amps.size()];
        for (int i = 0; i < amps.size(); i++) {
            result[0][i] = amps.get(i)[0];
            result[1][i] = amps.get(i)[1];
        }
        return result;
    }

    @Test
    void shouldParseWhatItGenerates() {
        Circuit c = QasmParser.parse("x", randomQasm(4, 50, 3));
        assertThat(c.gateCount()).isGreaterThanOrEqualTo(50);
    }
}
