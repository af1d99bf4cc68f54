package io.chronofabric.quantum.statevector.internal;

import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.quantum.AmplitudeEncoding;
import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.QuantumResult;
import io.chronofabric.api.quantum.Readout;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator proper, for one set of options: allocates a state (two primitive arrays, real
 * and imaginary parts), applies a {@link Plan} in place, on a fork/join pool of its own from
 * {@link Options#parallelMinQubits} qubits on (default 18), and samples the measurements.
 *
 * <p>Thread-safe: each run has its own state. A configuration change makes a new engine and
 * retires this one; its pool shuts down when the last run that holds it ends.
 */
final class Engine {

    /** Java arrays hold at most 2^31 - 1 elements: 2^30 amplitudes is the structural ceiling. */
    static final int HARD_MAX_QUBITS = 30;
    static final int BYTES_PER_AMPLITUDE = 16;

    record Options(int maxQubits, long maxMemoryBytes, int threads, int parallelMinQubits, boolean fusion, int maxShots) {
        Options {
            if (maxQubits < 1 || maxQubits > HARD_MAX_QUBITS) {
                throw new IllegalArgumentException("max.qubits " + maxQubits + " is out of range 1.." + HARD_MAX_QUBITS);
            }
            if (maxMemoryBytes < BYTES_PER_AMPLITUDE * 2L) {
                throw new IllegalArgumentException("max.memory.mb must be positive");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads " + threads + " must be at least 1");
            }
            if (maxShots < 0) {
                throw new IllegalArgumentException("max.shots " + maxShots + " is negative");
            }
        }

        static Options defaults() {
            return new Options(28, 4096L << 20, Runtime.getRuntime().availableProcessors(), 18, true, 1 << 24);
        }

        Options withThreads(int t) {
            return new Options(maxQubits, maxMemoryBytes, t, parallelMinQubits, fusion, maxShots);
        }

        Options withFusion(boolean f) {
            return new Options(maxQubits, maxMemoryBytes, threads, parallelMinQubits, f, maxShots);
        }

        Options withParallelMinQubits(int p) {
            return new Options(maxQubits, maxMemoryBytes, threads, p, fusion, maxShots);
        }

        Options withMaxQubits(int q) {
            return new Options(q, maxMemoryBytes, threads, parallelMinQubits, fusion, maxShots);
        }
    }

    private final Options options;
    private final ForkJoinPool pool;
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean retired;

    Engine(Options options) {
        this.options = options;
        this.pool = options.threads() > 1 ? new ForkJoinPool(options.threads(), p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("csf-quantum-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false) : null;
    }

    Options options() {
        return options;
    }

    /** Takes the engine for one run; false if it was retired meanwhile (take the new one). */
    boolean acquire() {
        users.incrementAndGet();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    void release() {
        if (users.decrementAndGet() == 0 && retired) {
            shutdownPool();
        }
    }

    /** No new runs; the pool stops when the last run ends (at once if none is running). */
    void retire() {
        retired = true;
        if (users.get() == 0) {
            shutdownPool();
        }
    }

    private void shutdownPool() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** The widest state these options and the JVM heap allow. */
    int maxQubits() {
        int byMemory = floorLog2(options.maxMemoryBytes() / BYTES_PER_AMPLITUDE);
        int byHeap = floorLog2(heapBudget() / BYTES_PER_AMPLITUDE);
        return Math.max(1, Math.min(Math.min(options.maxQubits(), HARD_MAX_QUBITS), Math.min(byMemory, byHeap)));
    }

    /** What the state may take of the heap: 80% of -Xmx (the rest is the framework's). */
    static long heapBudget() {
        return Runtime.getRuntime().maxMemory() / 10 * 8;
    }

    /** Refuses a width beyond the limits, naming the memory it needs and the limit that stops it. */
    void checkWidth(int qubits) {
        if (qubits <= maxQubits()) {
            return;
        }
        String need = "2^" + qubits + " amplitudes x " + BYTES_PER_AMPLITUDE + " bytes = " + bytes(Math.scalb((double) BYTES_PER_AMPLITUDE, qubits));
        String details;
        if (qubits > HARD_MAX_QUBITS) {
            details = qubits + " qubits need " + need + " for the state vector; this simulator holds at most " + HARD_MAX_QUBITS
                    + " qubits (16 GiB, the largest Java arrays)";
        } else if (qubits > options.maxQubits()) {
            details = qubits + " qubits need " + need + " for the state vector; the configured limit is max.qubits = " + options.maxQubits()
                    + " (" + bytes(Math.scalb((double) BYTES_PER_AMPLITUDE, options.maxQubits())) + ")";
        } else if (Math.scalb((double) BYTES_PER_AMPLITUDE, qubits) > options.maxMemoryBytes()) {
            details = qubits + " qubits need " + need + " for the state vector; the configured limit is max.memory.mb = "
                    + (options.maxMemoryBytes() >> 20) + " (at most " + floorLog2(options.maxMemoryBytes() / BYTES_PER_AMPLITUDE) + " qubits)";
        } else {
            details = qubits + " qubits need " + need + " for the state vector; the JVM's heap limit is "
                    + bytes(Runtime.getRuntime().maxMemory()) + " (-Xmx; Karaf: JAVA_MAX_MEM in bin/setenv), of which the state may take 80%";
        }
        throw new ResourceExhaustedException("quantum state memory", details);
    }

    QuantumResult run(Circuit circuit, AmplitudeEncoding initial, int shots, long seed, boolean wantState) {
        if (circuit == null) {
            throw new IllegalArgumentException("The circuit is null");
        }
        if (shots < 0 || shots > options.maxShots()) {
            throw new IllegalArgumentException("shots " + shots + " is out of range 0.." + options.maxShots() + " (max.shots)");
        }
        int n = circuit.qubits();
        if (initial != null && initial.qubits() != n) {
            throw new IllegalArgumentException("The initial state has " + initial.qubits() + " qubits, the circuit " + n);
        }
        checkWidth(n);
        Plan plan = Plan.compile(circuit, options.fusion());
        double[] re;
        double[] im;
        try {
            re = new double[1 << n];
            im = new double[1 << n];
        } catch (OutOfMemoryError e) {
            throw new ResourceExhaustedException("quantum state memory", n + " qubits need "
                    + bytes(Math.scalb((double) BYTES_PER_AMPLITUDE, n)) + " for the state vector, and the JVM heap has not that much free now");
        }
        if (initial != null) {
            System.arraycopy(initial.amplitudes(), 0, re, 0, re.length);
        } else {
            re[0] = 1;
        }
        long t0 = System.nanoTime();
        apply(plan, re, im);
        long t1 = System.nanoTime();
        Map<String, Long> counts = Sampler.sample(re, im, n, plan, shots, seed);
        long t2 = System.nanoTime();
        return wantState ? new QuantumResult(n, shots, seed, counts, re, im, t1 - t0, t2 - t1)
                : new QuantumResult(n, shots, seed, counts, null, null, t1 - t0, t2 - t1);
    }

    /** Applies every step of the plan in place. */
    void apply(Plan plan, double[] re, double[] im) {
        applyAll(plan.steps, plan.qubits, re, im);
    }

    /**
     * Applies the steps in order. In parallel, the whole sequence runs as one task inside the pool
     * (each gate split there and joined before the next), so the pool's threads are woken once per
     * run rather than once per gate.
     */
    void applyAll(java.util.List<GateOp> steps, int n, double[] re, double[] im) {
        if (pool != null && n >= options.parallelMinQubits()) {
            pool.invoke(new Sequence(steps, n, re, im, this));
        } else {
            for (GateOp op : steps) {
                op.apply(re, im, 0, op.items(n));
            }
        }
    }

    /** Runs a list of steps inside the pool, each split over the workers. */
    static final class Sequence extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient java.util.List<GateOp> steps;
        private final int n;
        private final transient double[] re;
        private final transient double[] im;
        private final transient Engine engine;

        Sequence(java.util.List<GateOp> steps, int n, double[] re, double[] im, Engine engine) {
            this.steps = steps;
            this.n = n;
            this.re = re;
            this.im = im;
            this.engine = engine;
        }

        @Override
        protected void compute() {
            int threads = engine.options.threads();
            for (GateOp op : steps) {
                int items = op.items(n);
                if (items >= 2 * MIN_GRAIN) {
                    new Range(op, re, im, 0, items, Math.max(MIN_GRAIN, items / (threads * 4))).invoke();
                } else {
                    op.apply(re, im, 0, items);
                }
            }
        }
    }

    /** The parallel pool, or null when this engine runs on the caller's thread alone (threads = 1). */
    ForkJoinPool pool() {
        return pool;
    }

    static final int MIN_GRAIN = 1 << 14;

    /** Splits a range of work items in halves down to the grain; one object per split, none per amplitude. */
    static final class Range extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient GateOp op;
        private final transient double[] re;
        private final transient double[] im;
        private final int lo;
        private final int hi;
        private final int grain;

        Range(GateOp op, double[] re, double[] im, int lo, int hi, int grain) {
            this.op = op;
            this.re = re;
            this.im = im;
            this.lo = lo;
            this.hi = hi;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (hi - lo <= grain) {
                op.apply(re, im, lo, hi);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Range(op, re, im, lo, mid, grain), new Range(op, re, im, mid, hi, grain));
        }
    }

    AmplitudeEncoding encode(double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("classicalToQuantum: the vector is " + (values == null ? "null" : "empty"));
        }
        double sum = 0;
        double scale = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("classicalToQuantum: value " + i + " is " + values[i] + ", not a finite number");
            }
            scale = Math.max(scale, Math.abs(values[i]));
        }
        if (scale == 0) {
            throw new IllegalArgumentException("classicalToQuantum: the vector of " + values.length
                    + " values has norm 0 (all zeros); a quantum state needs norm 1, so it cannot be encoded");
        }
        for (double v : values) {
            double s = v / scale; // scaled, so huge or tiny values neither overflow nor underflow
            sum += s * s;
        }
        double norm = scale * Math.sqrt(sum);
        int qubits = Math.max(1, 32 - Integer.numberOfLeadingZeros(values.length - 1));
        checkWidth(qubits);
        double[] amplitudes = new double[1 << qubits];
        for (int i = 0; i < values.length; i++) {
            amplitudes[i] = values[i] / norm;
        }
        return new AmplitudeEncoding(qubits, values.length, norm, amplitudes);
    }

    static double[] readout(QuantumResult result, Readout readout) {
        if (result == null || readout == null) {
            throw new IllegalArgumentException("quantumToClassical: the " + (result == null ? "result" : "readout") + " is null");
        }
        if (!result.hasState()) {
            throw new IllegalArgumentException("quantumToClassical: the result carries no state vector; run with wantState = true");
        }
        double[] re = result.stateReal();
        double[] im = result.stateImag();
        switch (readout) {
            case PROBABILITIES: {
                double[] p = new double[re.length];
                for (int i = 0; i < re.length; i++) {
                    p[i] = re[i] * re[i] + im[i] * im[i];
                }
                return p;
            }
            case REAL_AMPLITUDES:
                return re.clone();
            default: {
                double[] c = new double[re.length * 2];
                for (int i = 0; i < re.length; i++) {
                    c[2 * i] = re[i];
                    c[2 * i + 1] = im[i];
                }
                return c;
            }
        }
    }

    static int floorLog2(long v) {
        return v <= 0 ? 0 : 63 - Long.numberOfLeadingZeros(v);
    }

    static String bytes(double b) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f bytes", b)
                : String.format(Locale.ROOT, b == Math.rint(b) ? "%.0f %s" : "%.1f %s", b, units[u]);
    }
}
