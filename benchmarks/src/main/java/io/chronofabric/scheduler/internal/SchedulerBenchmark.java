package io.chronofabric.scheduler.internal;

import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskPriority;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.time.internal.SimulatedTimeSourceImpl;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scheduler overhead per task in steady state: the ready queue holds {@code queued} one-shot tasks;
 * each operation admits one more (random deadline) and runs the earliest-deadline one (an empty
 * job, its outcome recorded and its future completed), so the queue keeps its size. The baseline is
 * the same shape on a bare {@link PriorityBlockingQueue} of deadlines: offer one, poll one.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SchedulerBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchedulerBenchmark {

    private static final long HORIZON = 1_000_000_000_000L;

    @Param({"1000"})
    int queued;

    /**
     * A prime: the tasks with the latest deadlines never run and stay queued, and with a power-of-two
     * ring their ids would all be equal modulo the id map's table size.
     */
    private static final int RING = 4093;

    private EdfScheduler scheduler;
    private PriorityBlockingQueue<Long> pbq;
    private final Runnable nothing = () -> { };
    private long seed = 42;
    // prepared outside the measurement, used round-robin, so neither side pays for making its input
    private final Task[] tasks = new Task[RING];
    private final Long[] deadlines = new Long[RING];
    private int next;

    private long nextDeadline() {
        seed = seed * 6364136223846793005L + 1442695040888963407L; // LCG: no allocation, no shared state
        return HORIZON + ((seed >>> 20) % 1_000_000_000L);
    }

    private int ring() {
        int i = next;
        next = i + 1 == RING ? 0 : i + 1;
        return i;
    }

    private Task task() {
        return new Task("t", TaskPriority.NORMAL, 0, nextDeadline(), 1, 0, 0, null, nothing);
    }

    @Setup(Level.Trial)
    public void setUp() {
        SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000_000_000L);
        SchedulerSettings s = new SchedulerSettings(1, 1.0, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(1),
                1000, 0, 1);
        scheduler = new EdfScheduler(s, time, () -> OptimizationHint.BALANCED, name -> QuantumOffset.NONE);
        pbq = new PriorityBlockingQueue<>();
        for (int i = 0; i < RING; i++) {
            tasks[i] = task();
            deadlines[i] = tasks[i].deadlineNanos();
        }
        for (int i = 0; i < queued; i++) {
            scheduler.schedule(task());
            pbq.offer(nextDeadline());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.pending().forEach(io.chronofabric.api.scheduler.ScheduledTask::cancel);
        scheduler.close();
    }

    /** Admit one task and run the earliest-deadline one. */
    @Benchmark
    public int edfAdmitAndDispatch() {
        scheduler.schedule(tasks[ring()]);
        return scheduler.runDue(1);
    }

    /** The baseline: offer one deadline, poll the smallest. */
    @Benchmark
    public Long priorityBlockingQueueOfferPoll() {
        pbq.offer(deadlines[ring()]);
        return pbq.poll();
    }
}
