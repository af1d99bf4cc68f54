package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.NamedCircuit;
import io.chronofabric.api.quantum.QuantumResult;
import io.chronofabric.api.quantum.QuantumSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The quantum feature at boot: the QuantumSimulator service, csf:quantum-run and deploy/*.qasm in the real distribution. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class QuantumIT extends ChronoFabricTestSupport {

    private static final String BELL = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n";

    @Test
    public void simulatorRunsACircuitAndRefusesOneWiderThanTheHeap() throws Exception {
        QuantumSimulator sim = service(QuantumSimulator.class);
        assertEquals("statevector", sim.name());
        QuantumResult r = sim.run(Circuit.builder(2).h(0).cnot(0, 1).measureAll().build(), 1000, 42, true);
        assertEquals(1000L, r.counts().get("00") + r.counts().get("11"));
        assertEquals(0.5, r.probability(3), 1e-12);
        int max = sim.maxQubits();
        assertTrue("maxQubits " + max, max >= 16);
        try {
            sim.run(Circuit.builder(max + 1).h(0).build(), 0, 0, false);
            throw new AssertionError("a circuit of " + (max + 1) + " qubits should be refused");
        } catch (ResourceExhaustedException e) {
            assertContains(e.getMessage(), (max + 1) + " qubits need 2^" + (max + 1) + " amplitudes x 16 bytes");
        }
    }

    @Test
    public void consoleRunsAQasmFileWithCountsAndState() throws Exception {
        Path file = Files.createTempFile("bell", ".qasm");
        try {
            Files.writeString(file, BELL, StandardCharsets.UTF_8);
            String out = execute("csf:quantum-run --shots 1000 --seed 7 --state " + file);
            assertContains(out, "2 qubits, 2 gates, 2 measurements; 1000 shots, seed 7");
            assertContains(out, "00: ");
            assertContains(out, "11: ");
            assertContains(out, "|00> 0.707107+0.000000i");
            assertContains(out, "|11> 0.707107+0.000000i");
            // the same seed gives the same counts
            String again = execute("csf:quantum-run --shots 1000 --seed 7 " + file);
            assertEquals(countsOf(out), countsOf(again));

            Files.writeString(file, BELL.replace("cx q[0],q[1];", "cx q[0],q[2];"), StandardCharsets.UTF_8);
            String error = executeExpectingError("csf:quantum-run " + file);
            assertContains(error, ":6:11: qubit q[2] is out of range");

            String status = execute("csf:status quantum");
            assertContains(status, "io.chronofabric.quantum.statevector");
            assertContains(status, "UP up to");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void aQasmFileInDeployRegistersANamedCircuit() throws Exception {
        Path deploy = Path.of(System.getProperty("karaf.base"), "deploy");
        Path file = deploy.resolve("itbell.qasm");
        try {
            Files.writeString(file, BELL, StandardCharsets.UTF_8);
            NamedCircuit named = service(NamedCircuit.class, "(" + NamedCircuit.NAME_PROPERTY + "=itbell)");
            assertEquals(2, named.circuit().qubits());
            String out = execute("csf:quantum-run --shots 100 --seed 3 itbell");
            assertContains(out, "itbell (");
            assertContains(out, "100 shots, seed 3");
        } finally {
            Files.deleteIfExists(file);
        }
        waitFor(() -> {
            try {
                return bundleContext.getServiceReferences(NamedCircuit.class, "(" + NamedCircuit.NAME_PROPERTY + "=itbell)").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, "the circuit service leaves with its file");
    }

    private static String countsOf(String output) {
        StringBuilder b = new StringBuilder();
        for (String line : output.split("\n")) {
            if (line.matches("[01]+: \\d+\\s*")) {
                b.append(line.trim()).append('\n');
            }
        }
        return b.toString();
    }
}
