package io.chronofabric.shell.internal;

import io.chronofabric.api.quantum.QuantumSimulator;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;

/** Shared plumbing of the quantum commands. */
public abstract class QuantumCommandSupport implements Action {

    @Reference(optional = true)
    QuantumSimulator simulator;

    @Reference
    Session session;

    @Override
    public final Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (simulator == null) {
            out.println("No QuantumSimulator service is registered (is the chronofabric-quantum feature installed and started?)");
            return null;
        }
        doExecute(out);
        return null;
    }

    protected abstract void doExecute(PrintStream out) throws Exception;

    /** {@code 0.707107+0.000000i}, {@code -0.500000-0.500000i}. */
    static String complex(double re, double im) {
        // no "-0.000000"
        double r = Math.abs(re) < 5e-7 ? 0 : re;
        double i = Math.abs(im) < 5e-7 ? 0 : im;
        return String.format(Locale.ROOT, "%.6f%s%.6fi", r, i < 0 ? "-" : "+", Math.abs(i));
    }

    /** {@code |011>}: basis state {@code index} of an n-qubit state, qubit 0 last. */
    static String ket(int index, int qubits) {
        StringBuilder b = new StringBuilder(qubits + 2).append('|');
        for (int q = qubits - 1; q >= 0; q--) {
            b.append(((index >>> q) & 1) == 1 ? '1' : '0');
        }
        return b.append('>').toString();
    }
}
