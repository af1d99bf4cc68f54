package io.chronofabric.quantum.statevector.internal;

import io.chronofabric.api.quantum.Gate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The state-vector kernels against the memory-bandwidth floor, in the same run and on the same
 * arrays: nanoseconds per amplitude per gate for H, CNOT and RZ (targets rotating over every
 * qubit), next to (a) an in-place stream that reads and writes both arrays once (a gate's
 * traffic: 32 bytes per amplitude) and (b) a copy of both arrays into a second pair, both split
 * over the same threads as the gates. Alternating rounds; medians and ranges; ratios per round.
 *
 * <pre>
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar io.chronofabric.quantum.statevector.internal.QuantumVsFloor [qubits=16,20,24,26] [rounds=5] [threads=cores]
 * </pre>
 */
public final class QuantumVsFloor {

    private QuantumVsFloor() {
    }

    public static void main(String[] args) {
        int[] widths = Arrays.stream((args.length > 0 ? args[0] : "16,20,24,26").split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        Engine parallel = new Engine(Engine.Options.defaults().withThreads(threads).withMaxQubits(30));
        Engine serial = new Engine(Engine.Options.defaults().withThreads(1).withMaxQubits(30));
        ForkJoinPool floorPool = threads > 1 ? new ForkJoinPool(threads) : null;
        System.out.printf(Locale.ROOT, "Quantum state-vector kernels vs the memory floor: %d thread(s), %d rounds, Java %s, %d cores, heap %s%n",
                threads, rounds, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Engine.bytes(Runtime.getRuntime().maxMemory()));
        System.out.println("ns per amplitude per gate: median (min..max); ratio = gate / stream, per round, median (min..max)");
        System.out.printf(Locale.ROOT, "%-3s %-22s %-22s %-22s %-22s %-22s %-22s %-19s %-19s %-19s%n", "n", "H", "CNOT", "RZ", "stream floor",
                "copy floor", "H 1 thread", "H/stream", "CNOT/stream", "RZ/stream");
        for (int n : widths) {
            long bytes = 32L << n;
            if (bytes > Runtime.getRuntime().maxMemory() * 0.9) {
                System.out.printf(Locale.ROOT, "%-3d skipped: needs %s of heap (state + copy target); run with a larger -Xmx%n", n, Engine.bytes(bytes));
                continue;
            }
            double[] re = new double[1 << n];
            double[] im = new double[1 << n];
            double[] re2 = new double[1 << n];
            double[] im2 = new double[1 << n];
            Arrays.fill(re, 1 / Math.sqrt(re.length));
            Arrays.fill(im, 0.5 / Math.sqrt(re.length));
            int reps = Math.max(4, (1 << 28) >> n);
            double[][] t = new double[6][rounds];
            for (int r = -1; r < rounds; r++) { // round -1 warms the JIT up
                double[] row = new double[6];
                row[3] = floor(floorPool, threads, re, im, null, null, reps);
                row[0] = gates(parallel, Gate.H, n, re, im, reps);
                row[1] = gates(parallel, Gate.CNOT, n, re, im, reps);
                row[2] = gates(parallel, Gate.RZ, n, re, im, reps);
                row[4] = floor(floorPool, threads, re, im, re2, im2, reps);
                row[5] = gates(serial, Gate.H, n, re, im, Math.max(2, reps / 2));
                if (r >= 0) {
                    for (int k = 0; k < 6; k++) {
                        t[k][r] = row[k];
                    }
                }
            }
            double[][] ratio = new double[3][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int g = 0; g < 3; g++) {
                    ratio[g][r] = t[g][r] / t[3][r];
                }
            }
            System.out.printf(Locale.ROOT, "%-3d %-22s %-22s %-22s %-22s %-22s %-22s %-19s %-19s %-19s%n", n, fig(t[0]), fig(t[1]), fig(t[2]),
                    fig(t[3]), fig(t[4]), fig(t[5]), figRatio(ratio[0]), figRatio(ratio[1]), figRatio(ratio[2]));
        }
        parallel.retire();
        serial.retire();
        if (floorPool != null) {
            floorPool.shutdown();
        }
    }

    /** reps gates of one kind, targets rotating over the qubits; ns per amplitude per gate. */
    private static double gates(Engine engine, Gate gate, int n, double[] re, double[] im, int reps) {
        List<GateOp> ops = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            switch (gate) {
                case H -> ops.add(GateOp.single(q, Matrices.of(Gate.H, null), "h"));
                case RZ -> ops.add(GateOp.single(q, Matrices.of(Gate.RZ, new double[] {0.1 + q}), "rz"));
                default -> ops.add(GateOp.cnot(q, (q + 1) % n));
            }
        }
        List<GateOp> sequence = new ArrayList<>(reps);
        for (int i = 0; i < reps; i++) {
            sequence.add(ops.get(i % n));
        }
        long t0 = System.nanoTime();
        engine.applyAll(sequence, n, re, im); // as a run applies its plan
        return (double) (System.nanoTime() - t0) / reps / re.length;
    }

    /** reps passes of the floor: in place (re2 null) or a copy into re2/im2; ns per amplitude per pass. */
    private static double floor(ForkJoinPool pool, int threads, double[] re, double[] im, double[] re2, double[] im2, int reps) {
        int grain = Math.max(Engine.MIN_GRAIN, re.length / (threads * 4));
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            Floor f = new Floor(re, im, re2, im2, 0, re.length, grain);
            if (pool != null && re.length >= (1 << 16)) {
                pool.invoke(f);
            } else {
                f.run(0, re.length);
            }
        }
        return (double) (System.nanoTime() - t0) / reps / re.length;
    }

    private static final class Floor extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient double[] re;
        private final transient double[] im;
        private final transient double[] re2;
        private final transient double[] im2;
        private final int lo;
        private final int hi;
        private final int grain;

        Floor(double[] re, double[] im, double[] re2, double[] im2, int lo, int hi, int grain) {
            this.re = re;
            this.im = im;
            this.re2 = re2;
            this.im2 = im2;
            this.lo = lo;
            this.hi = hi;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (hi - lo <= grain) {
                run(lo, hi);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Floor(re, im, re2, im2, lo, mid, grain), new Floor(re, im, re2, im2, mid, hi, grain));
        }

        void run(int from, int to) {
            if (re2 != null) {
                System.arraycopy(re, from, re2, from, to - from);
                System.arraycopy(im, from, im2, from, to - from);
                return;
            }
            for (int i = from; i < to; i++) {
                re[i] = -re[i];
                im[i] = -im[i];
            }
        }
    }

    private static String fig(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.3f (%.3f..%.3f)", median(s), s[0], s[s.length - 1]);
    }

    private static String figRatio(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.2f (%.2f..%.2f)", median(s), s[0], s[s.length - 1]);
    }

    private static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
