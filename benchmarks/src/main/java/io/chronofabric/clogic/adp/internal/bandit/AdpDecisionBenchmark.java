package io.chronofabric.clogic.adp.internal.bandit;

import java.util.SplittableRandom;
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
 * ADP's decision: one select() plus the update() of its reward, per policy, for 2 and 16 places
 * (goal: under 200 ns); {@code ucbMasked}: UCB1 over ADP's 64 place slots with the given number
 * eligible (what the module does); {@link LinUcbBench}: LinUCB (disjoint, Sherman-Morrison) for
 * d = 3..8 over 2 places, select + update, and select alone. Run:
 * java -jar benchmarks/target/benchmarks.jar AdpDecisionBenchmark
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdpDecisionBenchmark {

    @Param({"2", "16"})
    int places;

    private Ucb1 ucb;
    private Ucb1 ucb64;
    private long mask;
    private Thompson thompson;
    private Exp3 exp3;
    private PowerOfDChoices pod;
    private int[] queues;
    private final double[] rewards = new double[1024];
    private int i;

    @Setup
    public void setup() {
        ucb = new Ucb1(places);
        ucb64 = new Ucb1(64);
        mask = places >= 64 ? -1L : (1L << places) - 1;
        thompson = new Thompson(places, 1);
        exp3 = new Exp3(places, 0.05, 0.001, 1);
        pod = new PowerOfDChoices(2, 1);
        queues = new int[places];
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < rewards.length; k++) {
            rewards[k] = r.nextDouble();
        }
        for (int k = 0; k < 10_000; k++) {
            ucb();
            thompson();
            exp3();
            ucbMasked();
        }
    }

    @Benchmark
    public int ucbMasked() {
        int a = ucb64.select(mask);
        ucb64.update(a, rewards[i++ & 1023]);
        return a;
    }

    @Benchmark
    public int ucb() {
        int a = ucb.select();
        ucb.update(a, rewards[i++ & 1023]);
        return a;
    }

    @Benchmark
    public int thompson() {
        int a = thompson.select();
        thompson.update(a, rewards[i++ & 1023]);
        return a;
    }

    @Benchmark
    public int exp3() {
        int a = exp3.select();
        exp3.update(a, rewards[i++ & 1023]);
        return a;
    }

    @Benchmark
    public int powerOfTwo() {
        int a = pod.choose(queues);
        queues[a] = (queues[a] + 1) & 7;
        return a;
    }

    /** LinUCB, d = 3..8 (the unit's features plus the constant), 2 places. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    public static class LinUcbBench {
        @Param({"3", "4", "5", "6", "7", "8"})
        int d;

        private LinUcb lin;
        private final double[][] contexts = new double[256][];
        private final double[] rewards = new double[1024];
        private int i;

        @Setup
        public void setup() {
            lin = new LinUcb(2, d, 1.0);
            SplittableRandom r = new SplittableRandom(5);
            for (int k = 0; k < contexts.length; k++) {
                double[] x = new double[d];
                x[0] = 1;
                for (int j = 1; j < d; j++) {
                    x[j] = r.nextDouble();
                }
                contexts[k] = x;
            }
            for (int k = 0; k < rewards.length; k++) {
                rewards[k] = r.nextDouble();
            }
            for (int k = 0; k < 10_000; k++) {
                decide();
            }
        }

        @Benchmark
        public int decide() {
            double[] x = contexts[i & 255];
            int a = lin.select(x, 0b11);
            lin.update(a, x, rewards[i++ & 1023]);
            return a;
        }

        @Benchmark
        public int selectOnly() {
            return lin.select(contexts[i++ & 255], 0b11);
        }
    }
}
