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
 * EGC's online STL monitor: cost of one sample ({@link OnlineMonitor#update}) for interval bounds
 * of 10, 100 and 1000 samples. {@code always} is a bounded-future formula (pastified: historically
 * over a delay of B samples), {@code pastWindows} two past windows and a comparison. RTAMT (Python)
 * needs 11-93 µs per sample for such bounds; the goal here is under 1 µs at 1000 and flat in B.
 * Run: java -jar benchmarks/target/benchmarks.jar StlOnlineBenchmark
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StlOnlineBenchmark {

    @Param({"10", "100", "1000"})
    int bound;

    private OnlineMonitor always;
    private OnlineMonitor pastWindows;
    private OnlineMonitor eventuallyAB;
    private final double[] xs = new double[4096];
    private final double[] one = new double[1];
    private final double[] two = new double[2];
    private int i;

    @Setup
    public void setup() {
        always = new OnlineMonitor(Spec.parse("always[0:" + bound + "](x <= 0.5)"));
        pastWindows = new OnlineMonitor(Spec.parse("once[0:" + bound + "](x > 0.9) and historically[0:" + bound + "](x >= -1)"));
        eventuallyAB = new OnlineMonitor(Spec.parse("eventually[0:" + bound + "](a >= b)"));
        Random r = new Random(1);
        for (int k = 0; k < xs.length; k++) {
            xs[k] = r.nextDouble();
        }
        // fill the windows so the steady state is measured
        for (int k = 0; k < 3 * bound; k++) {
            sampleAlways();
            samplePast();
            sampleEventually();
        }
    }

    @Benchmark
    public double sampleAlways() {
        one[0] = xs[i++ & 4095];
        return always.update(one);
    }

    @Benchmark
    public double samplePast() {
        one[0] = xs[i++ & 4095];
        return pastWindows.update(one);
    }

    @Benchmark
    public double sampleEventually() {
        two[0] = xs[i++ & 4095];
        two[1] = xs[(i * 7) & 4095];
        return eventuallyAB.update(two);
    }
}
