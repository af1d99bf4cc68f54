package io.chronofabric.clogic.egc.internal.stl;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * EGC's online STL monitor, bounded until and since: cost of one sample ({@link OnlineMonitor#update})
 * for interval bounds B = 10, 100, 1000. {@code until[0:B]} and {@code since[0:B]} are one sliding-window
 * fold of (max, min) maps each ({@link MaxMinFold}); {@code until[B/10:B]} and {@code since[B/2:B]} add
 * a streaming minimum and a delay line. Goal: flat in B, under 1 µs at B = 1000 (before this the two
 * operators cost O(B) per sample).
 * Run: java -jar benchmarks/target/benchmarks.jar StlUntilSinceBenchmark
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StlUntilSinceBenchmark {

    @Param({"10", "100", "1000"})
    int bound;

    private OnlineMonitor until;
    private OnlineMonitor untilFrom;
    private OnlineMonitor since;
    private OnlineMonitor sinceFrom;
    private final double[] xs = new double[4096];
    private final double[] two = new double[2];
    private int i;

    @Setup
    public void setup() {
        until = new OnlineMonitor(Spec.parse("(a > 0.05) until[0:" + bound + "] (b > 0.9)"));
        untilFrom = new OnlineMonitor(Spec.parse("(a > 0.05) until[" + bound / 10 + ":" + bound + "] (b > 0.9)"));
        since = new OnlineMonitor(Spec.parse("(a > 0.05) since[0:" + bound + "] (b > 0.9)"));
        sinceFrom = new OnlineMonitor(Spec.parse("(a > 0.05) since[" + bound / 2 + ":" + bound + "] (b > 0.9)"));
        Random r = new Random(1);
        for (int k = 0; k < xs.length; k++) {
            xs[k] = r.nextDouble();
        }
        // fill the windows so the steady state is measured
        for (int k = 0; k < 3 * bound + 10; k++) {
            sampleUntil();
            sampleUntilFrom();
            sampleSince();
            sampleSinceFrom();
        }
    }

    private double[] next() {
        two[0] = xs[i++ & 4095];
        two[1] = xs[(i * 7) & 4095];
        return two;
    }

    @Benchmark
    public double sampleUntil() {
        return until.update(next());
    }

    @Benchmark
    public double sampleUntilFrom() {
        return untilFrom.update(next());
    }

    @Benchmark
    public double sampleSince() {
        return since.update(next());
    }

    @Benchmark
    public double sampleSinceFrom() {
        return sinceFrom.update(next());
    }
}
