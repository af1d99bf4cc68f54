package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.WorkUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ADP's engine as the module runs it, without the work: decide (eligibility mask over the place
 * slots, the policy's choice, the in-flight count; an optimistic read, no lock) and finish (reward,
 * bandit update, regret estimate: queued and folded by the single writer), one thread, engine of its
 * own. Places: the given number of places that accept every unit. {@link Contended}: 4 threads on one
 * shared engine (each its own ticket), the figure per decide + finish per thread. Run:
 * java -jar benchmarks/target/benchmarks.jar AdpEngineBenchmark
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdpEngineBenchmark {

    @Param({"2", "8"})
    int places;

    @Param({"ucb1", "linucb"})
    String policy;

    private AdpEngine engine;
    private WorkUnit<String> unit;
    private final AdpEngine.Ticket ticket = new AdpEngine.Ticket();
    private long latency = 1_000_000;

    static final class Nowhere implements Place {
        private final String name;

        Nowhere(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String kind() {
            return "bench";
        }

        @Override
        public boolean accepts(WorkUnit<?> u) {
            return true;
        }

        @Override
        public String unavailableReason() {
            return "";
        }

        @Override
        public int queueLength() {
            return 0;
        }

        @Override
        public <T> CompletionStage<T> run(WorkUnit<T> u) {
            return new CompletableFuture<>();
        }
    }

    @Setup
    public void setup() {
        engine = new AdpEngine();
        for (int k = 0; k < places; k++) {
            engine.attach(new Nowhere("p" + k), 0);
        }
        if (policy.equals("linucb")) {
            unit = WorkUnit.task("bench", () -> "x").features(0.2, 0.5, 0.9).build();
            ticket.context = new double[] {1, 0.2, 0.5, 0.9};
        } else {
            unit = WorkUnit.task("bench", () -> "x").build();
        }
        for (int k = 0; k < 10_000; k++) {
            decideAndFinish();
        }
    }

    @Benchmark
    public int decideAndFinish() {
        engine.decide(unit, ticket);
        latency = (latency * 6364136223846793005L + 1442695040888963407L) >>> 44; // ~0..1 ms, varying
        engine.finish(ticket, latency + ticket.slot * 100_000L, true, false);
        return ticket.slot;
    }

    /** One engine shared by 4 threads (decisions and outcomes contend); 8 places. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    @Threads(4)
    public static class Contended {
        @Param({"ucb1", "thompson", "linucb"})
        String policy;

        AdpEngine engine;
        WorkUnit<String> unit;

        /** A thread's own tickets (a ring of 64, as units in flight would be: a ticket reused while still queued folds first) and latency stream. */
        @State(Scope.Thread)
        public static class Caller {
            final AdpEngine.Ticket[] tickets = new AdpEngine.Ticket[64];
            int next;
            long latency = 1_000_000;

            public Caller() {
                for (int k = 0; k < tickets.length; k++) {
                    tickets[k] = new AdpEngine.Ticket();
                    tickets[k].context = CONTEXT;
                }
            }
        }

        @Setup
        public void setup() {
            engine = new AdpEngine();
            if (policy.equals("thompson")) {
                AdpEngine.Settings d = AdpEngine.Settings.defaults();
                engine.configure(new AdpEngine.Settings(AdpEngine.Policy.THOMPSON, d.exploration(), d.arousalGain(), d.exp3Gamma(), d.exp3Share(),
                        d.d(), d.features(), d.linucbAlpha(), d.rewardLatencyNanos(), d.maxInFlight(), d.changepointDiscount(), d.seed()));
            }
            for (int k = 0; k < 8; k++) {
                engine.attach(new Nowhere("p" + k), 0);
            }
            unit = policy.equals("linucb") ? WorkUnit.task("bench", () -> "x").features(0.2, 0.5, 0.9).build() : WorkUnit.task("bench", () -> "x").build();
        }

        @Benchmark
        public int decideAndFinish(Caller c) {
            AdpEngine.Ticket t = c.tickets[c.next++ & 63];
            engine.decide(unit, t);
            c.latency = (c.latency * 6364136223846793005L + 1442695040888963407L) >>> 44;
            engine.finish(t, c.latency + t.slot * 100_000L, true, false);
            return t.slot;
        }

        private static final double[] CONTEXT = {1, 0.2, 0.5, 0.9};
    }
}
