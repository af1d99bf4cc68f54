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
 * (goal: under 200 ns). Run: java -jar benchmarks/target/benchmarks.jar AdpDecisionBenchmark
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
    private Thompson thompson;
    private Exp3 exp3;
    private PowerOfDChoices pod;
    private int[] queues;
    private final double[] rewards = new double[1024];
    private int i;

    @Setup
    public void setup() {
        ucb = new Ucb1(places);
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
        }
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
}
