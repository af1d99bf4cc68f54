package io.chronofabric.shell.internal;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.QuantumResult;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * Nanoseconds per amplitude per gate for H, CNOT and RZ on the registered simulator, next to a
 * read-and-write-in-place loop over arrays of the same size (the memory floor: a gate streams
 * 32 bytes per amplitude). Gates are separated by barriers so none is fused away; the time is
 * the simulator's own gate time (not the state's allocation).
 */
@Service
@Command(scope = "csf", name = "quantum-bench", description = "Times H, CNOT and RZ on the quantum simulator in ns per amplitude per gate, "
        + "next to an in-place stream over arrays of the same size (the memory-bandwidth floor).")
public class QuantumBenchCommand extends QuantumCommandSupport {

    @Option(name = "-q", aliases = "--qubits", description = "Widths, comma separated (default 16,20,24; n qubits need 2^n x 16 bytes of heap: 24 = 256 MiB).")
    String qubits = "16,20,24";

    @Option(name = "-r", aliases = "--rounds", description = "Rounds per figure; the median is shown with the range (default 5).")
    int rounds = 5;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        if (rounds < 1 || rounds > 100) {
            throw new IllegalArgumentException("--rounds " + rounds + " is out of range 1..100");
        }
        int[] widths = parseWidths(qubits, simulator.maxQubits());
        out.println(String.format(Locale.ROOT, "%-7s %-22s %-22s %-22s %-22s %s", "qubits", "H ns/amp", "CNOT ns/amp", "RZ ns/amp",
                "stream ns/amp", "H / stream"));
        for (int n : widths) {
            // every qubit a target equally often: short-stride and long-stride gates both count
            int gates = Math.max(1, ((1 << 26) >> n) / n) * n;
            double[][] byGate = new double[3][rounds];
            double[] floor = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int g = 0; g < 3; g++) {
                    byGate[g][r] = timeGate(g, n, gates);
                }
                floor[r] = timeStream(n);
            }
            double h = median(byGate[0]);
            double f = median(floor);
            out.println(String.format(Locale.ROOT, "%-7d %-22s %-22s %-22s %-22s %.2f", n, figure(byGate[0]), figure(byGate[1]),
                    figure(byGate[2]), figure(floor), h / f));
        }
        out.println("ns/amp: median (min..max) of " + rounds + " rounds; stream = read and write both arrays in place on all cores,"
                + " 32 bytes per amplitude like a gate.");
    }

    private double timeGate(int gate, int n, int gates) {
        Circuit.Builder b = Circuit.builder(n);
        for (int i = 0; i < gates; i++) {
            int q = i % n;
            switch (gate) {
                case 0 -> b.h(q);
                case 1 -> b.cnot(q, (q + 1) % n);
                default -> b.rz(0.1 + i, q);
            }
            b.barrier();
        }
        QuantumResult r = simulator.run(b.build(), 0, 0, false);
        return (double) r.gateNanos() / gates / (1L << n);
    }

    private static double timeStream(int n) {
        double[] re = new double[1 << n];
        double[] im = new double[1 << n];
        int reps = Math.max(4, (1 << 26) >> n);
        int grain = Math.max(1 << 12, re.length / (Runtime.getRuntime().availableProcessors() * 4));
        stream(re, im, 0, re.length); // touch the pages first
        long t0 = System.nanoTime();
        for (int k = 0; k < reps; k++) {
            if (n >= 16) {
                // invoked from this thread, which works on one half while the common pool takes the other
                ForkJoinPool.commonPool().invoke(new Stream(re, im, 0, re.length, grain));
            } else {
                stream(re, im, 0, re.length);
            }
        }
        return (double) (System.nanoTime() - t0) / reps / re.length;
    }

    /** The floor split in halves down to a grain, like the simulator splits a gate. */
    private static final class Stream extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient double[] re;
        private final transient double[] im;
        private final int lo;
        private final int hi;
        private final int grain;

        Stream(double[] re, double[] im, int lo, int hi, int grain) {
            this.re = re;
            this.im = im;
            this.lo = lo;
            this.hi = hi;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (hi - lo <= grain) {
                stream(re, im, lo, hi);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Stream(re, im, lo, mid, grain), new Stream(re, im, mid, hi, grain));
        }
    }

    private static void stream(double[] re, double[] im, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            re[i] = -re[i];
            im[i] = -im[i];
        }
    }

    static int[] parseWidths(String text, int max) {
        String[] parts = text.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--qubits: '" + parts[i].trim() + "' is not a number");
            }
            if (w[i] < 2 || w[i] > max) {
                throw new IllegalArgumentException("--qubits: " + w[i] + " is out of range 2.." + max + " (the simulator's maxQubits)");
            }
        }
        return w;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String figure(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.3f (%.3f..%.3f)", median(v), s[0], s[s.length - 1]);
    }
}
