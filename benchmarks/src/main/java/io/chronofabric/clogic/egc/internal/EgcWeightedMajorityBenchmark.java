package io.chronofabric.clogic.egc.internal;

import java.util.List;
import java.util.Map;
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
 * Decisions per second through EGC's engine when several proposers vote (weighted majority): the
 * spec {@code lat <= 10}, {@code proposers} rules for its violation (half SET_RATE, half ALERT) and
 * one for its recovery, the signal alternating every tick, so every tick is one event and one decision
 * (vote, reason with the vote, log entry applied locally, outcome bookkeeping). Each violation decision
 * is right (recovered at the next tick), each recovery decision wrong (violated again at the next tick):
 * a weight changes every second tick, so the ballot is counted again for every violation. Without the
 * bus publish. {@code proposers = 1} is the path without a vote.
 * Run: java -jar benchmarks/target/benchmarks.jar EgcWeightedMajorityBenchmark
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EgcWeightedMajorityBenchmark {

    @Param({"1", "3", "8"})
    int proposers;

    private EgcEngine engine;
    private long t;

    @Setup
    public void setup() {
        StringBuilder rules = new StringBuilder("lat:recovered=drpp/*:SET_RATE:1");
        for (int i = 0; i < proposers; i++) {
            rules.append(", lat:violated=").append(i % 2 == 0 ? "drpp/a" + i + ":SET_RATE:0.5" : "*/*:ALERT:0." + i);
        }
        engine = new EgcEngine();
        engine.configure(Map.of("lat", "lat <= 10"), 1.0, Rule.parseAll(new String[] {rules.toString()}), 100, 600);
        engine.arbitration(EgcEngine.Arbitration.WEIGHTED_MAJORITY, 10, 0.5, 0);
    }

    /** One tick, one decision: the score is decisions per second. */
    @Benchmark
    public int decision() {
        engine.offer("lat", (t++ & 1) == 0 ? 50 : 5);
        List<EgcEngine.DecisionRecord> a = engine.tick(t);
        return a.size();
    }
}
