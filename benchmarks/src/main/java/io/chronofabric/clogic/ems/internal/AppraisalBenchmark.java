package io.chronofabric.clogic.ems.internal;

import io.chronofabric.api.clogic.AppraisalEvent;
import io.chronofabric.clogic.ems.internal.EmotionKind.PadTable;
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
 * EMS per-sample cost: one GAMYGDALA appraisal of an event against a goal, with the model first
 * advanced to the event's time (exponential decay of every active emotion, one ALMA mood step and,
 * with peers, one contagion step), as the EMS handler does for each packet. The simulated clock
 * moves {@code stepNanos} per event (1000 ns = a million events per second: mood and contagion are
 * integrated every 1000th event; 1000000 ns = one event per millisecond: at every event). {@code agents} = 1:
 * no contagion; 4: contagion between four agents, and the self agent's three peers like it (social
 * emotions for each of them). {@code withRecord}: also builds and validates the {@link AppraisalEvent}
 * payload record, as a publisher does.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar AppraisalBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AppraisalBenchmark {

    @Param({"1", "4"})
    int agents;

    @Param({"1000", "1000000"})
    long stepNanos;

    private AffectEngine engine;
    private long now = 1_700_000_000_000_000_000L;
    private int i;

    @Setup
    public void setUp() {
        engine = new AffectEngine(new EmsSettings(0.8, 1.0, 0.001, PadTable.GAMYGDALA, 0.1, 400, agents > 1, 0.5, 1.0, 0.5, 0.5, 0.5));
        engine.agent("self", Personality.NEUTRAL);
        engine.goal("self", "stability", 0.5);
        for (int a = 1; a < agents; a++) {
            engine.agent("peer" + a, new Personality(0.1 * a, 0, 0, 0.2, 0));
            engine.relation("peer" + a, "self", 0.5);
        }
        engine.advanceTo(now);
    }

    @Benchmark
    public double appraise() {
        now += stepNanos;
        // the goal's likelihood walks up and down around 0.5: hope and fear, never stuck at 0 or 1
        double delta = (i++ & 1) == 0 ? 0.01 : -0.01;
        return engine.appraise("self", "stability", 0.8, delta, "", now);
    }

    @Benchmark
    public double appraiseWithRecord() {
        now += stepNanos;
        double delta = (i++ & 1) == 0 ? 0.01 : -0.01;
        AppraisalEvent e = new AppraisalEvent(AppraisalEvent.SELF, "stability", 0.8, delta, "", now);
        return engine.appraise(e.agent(), e.goal(), e.utility(), e.likelihoodDelta(), e.causalAgent(), now);
    }

    @Benchmark
    public double advanceOnly() {
        now += stepNanos;
        engine.advanceTo(now);
        return engine.intensity("self", EmotionKind.HOPE);
    }
}
