package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
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
 * Cost of one publish (stamp, route, enqueue) and one take, on one thread, so that
 * {@code -prof gc} shows the allocation per published packet; next to the HLC and the baseline of
 * {@code System.currentTimeMillis()} plus one uncontended CAS.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PublishBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishBenchmark {

    record Tick(long seq) {
    }

    private PhaseCoherenceBus bus;
    private PhaseCoherenceBus directBus;
    private Receiver<Tick> receiver;
    private final long[] stamp = new long[3];
    private long handled;
    private HlcClockImpl hlc;
    private final AtomicLong cas = new AtomicLong();
    private long seq;

    @Setup(Level.Trial)
    public void setUp() {
        TimeSource time = new SystemTimeSource();
        hlc = new HlcClockImpl(time, 1, 500_000_000L);
        bus = Buses.create(1024, "park", time, hlc);
        receiver = bus.subscribe(Tick.class);
        directBus = Buses.create(1024, "backoff", time, hlc);
        directBus.addHandler((io.chronofabric.api.bus.PacketHandler<Tick>) p -> handled += p.payload().seq(), Tick.class, null, -1,
                "benchmark", true);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bus.close();
        directBus.close();
    }

    /** Publish one packet to a same-thread handler: publish and delivery in one call, on this thread. */
    @Benchmark
    public long publishToSameThreadHandler() {
        directBus.publish(PhasePacket.of(new Tick(seq++), ComponentId.SYSTEM));
        return handled;
    }

    /** The HLC without a timestamp object, as the bus stamps packets. */
    @Benchmark
    public long hlcNowInto() {
        hlc.nowInto(System.nanoTime(), stamp);
        return stamp[1];
    }

    /** Publish one packet to one receiver and take it back. */
    @Benchmark
    public Object publishAndTake() {
        bus.publish(PhasePacket.of(new Tick(seq++), ComponentId.SYSTEM));
        return receiver.poll();
    }

    @Benchmark
    public LogicalTime hlcNow() {
        return hlc.now();
    }

    /** The HLC's baseline: a wall-clock read plus one uncontended CAS. */
    @Benchmark
    public long currentTimeMillisPlusCas() {
        long v = cas.get();
        cas.compareAndSet(v, System.currentTimeMillis());
        return v;
    }
}
