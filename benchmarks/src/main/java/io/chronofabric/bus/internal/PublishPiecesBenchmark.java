package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one publish costs, piece by piece, on one thread (no profiler here, so microbenchmarks of
 * the pieces): the clock reads, the HLC, the id sequence, the route lookup, the lane queue's offer
 * and poll, the packet's creation, and the whole publish to no subscriber and to one queue
 * (drained in the same operation). The raw hand-off's share is {@code queueOfferPoll}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PublishPiecesBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PublishPiecesBenchmark {

    record Tick(long seq) {
    }

    private TimeSource time;
    private HlcClockImpl hlc;
    private final long[] stamp = new long[3];
    private final AtomicLong sequence = new AtomicLong();
    private final Router router = new Router();
    private final LaneQueue queue = new LaneQueue(1024);
    private PhasePacket<Tick> template;
    private PhaseCoherenceBus empty;
    private PhaseCoherenceBus one;
    private ReceiverImpl<?> sink;
    private long seq;

    @Setup(Level.Trial)
    public void setUp() {
        time = new SystemTimeSource();
        hlc = new HlcClockImpl(time, 1, 500_000_000L);
        template = PhasePacket.of(new Tick(0), ComponentId.SYSTEM);
        empty = Buses.create(1024, "backoff", time, hlc);
        one = Buses.create(1024, "backoff", time, hlc);
        // a receiver whose queue this thread drains directly (no token, no statistics: the queue's own cost)
        sink = (ReceiverImpl<?>) one.subscribe(Tick.class);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        empty.close();
        one.close();
    }

    @Benchmark
    public long systemNanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public long timeSourceNow() {
        return time.nowNanos();
    }

    @Benchmark
    public long hlcNowInto() {
        hlc.nowInto(seq++, stamp);
        return stamp[1];
    }

    @Benchmark
    public long sequenceIncrement() {
        return sequence.incrementAndGet();
    }

    @Benchmark
    public Object routeLookup() {
        return router.routeFor(template);
    }

    @Benchmark
    public Object queueOfferPoll() {
        queue.offer(template);
        return queue.poll();
    }

    @Benchmark
    public Object newPacket() {
        return PhasePacket.of(new Tick(seq++), ComponentId.SYSTEM);
    }

    /** Stamp, route to nobody. */
    @Benchmark
    public long publishToNobody() {
        return empty.publish(PhasePacket.of(new Tick(seq++), ComponentId.SYSTEM));
    }

    /** Stamp, route, offer to one queue (and take it back here). */
    @Benchmark
    public Object publishToOneQueue() {
        one.publish(PhasePacket.of(new Tick(seq++), ComponentId.SYSTEM));
        return sink.queue.poll();
    }
}
