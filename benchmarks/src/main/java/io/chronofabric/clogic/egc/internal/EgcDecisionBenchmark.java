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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decisions per second through EGC's engine from a live spec: a signal offered, one tick of the
 * spec {@code historically[0:1](lat <= 10)} with a rule, the signal alternating so that every second
 * tick is a violation or a recovery (one decision each). Without the bus publish.
 * Run: java -jar benchmarks/target/benchmarks.jar EgcDecisionBenchmark
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EgcDecisionBenchmark {

    private EgcEngine engine;
    private long t;

    @Setup
    public void setup() {
        engine = new EgcEngine();
        engine.configure(Map.of("lat", "historically[0:1](lat <= 10)"), 1.0,
                Rule.parseAll(new String[] {"lat:violated=drpp/*:SET_RATE:0.5, lat:recovered=drpp/*:SET_RATE:1"}), 100, 600);
    }

    /** Two ticks, one decision: the score is decisions per second. */
    @Benchmark
    public int decision() {
        // pattern 5, 5, 50, 50: historically[0:1] flips every two samples -> one decision per two ticks
        engine.offer("lat", (t++ & 2) == 0 ? 5 : 50);
        List<EgcEngine.DecisionRecord> a = engine.tick(t);
        engine.offer("lat", (t++ & 2) == 0 ? 5 : 50);
        List<EgcEngine.DecisionRecord> b = engine.tick(t);
        return a.size() + b.size();
    }
}
