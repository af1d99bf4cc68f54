package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.util.concurrent.TimeUnit;
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
 * What per-channel rate limits ({@link ChannelLimits}) cost a publish, one thread, tryPublish on a
 * channel without subscribers: no limit anywhere (the one volatile read), a limit on another channel
 * (a map lookup), a limit the packets stay under (a GCRA compare-and-set each), a limit they are over
 * (refused before stamping: the same packet is offered again), and the GCRA cell alone.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ChannelThrottleBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ChannelThrottleBenchmark {

    private PhaseCoherenceBus unlimited;
    private PhaseCoherenceBus otherLimited;
    private PhaseCoherenceBus underLimit;
    private PhaseCoherenceBus overLimit;
    private ChannelLimits.Limit cell;
    private PhasePacket<String> refused;
    private long t;

    @Setup(Level.Trial)
    public void setUp() {
        TimeSource time = new SystemTimeSource();
        HlcClockImpl hlc = new HlcClockImpl(time, 1, 500_000_000L);
        unlimited = Buses.create(1024, "backoff", time, hlc);
        otherLimited = Buses.create(1024, "backoff", time, hlc);
        ChannelLimits other = new ChannelLimits();
        other.limit("other", 10, 1, "bench");
        other.attach(otherLimited::setThrottles);
        underLimit = Buses.create(1024, "backoff", time, hlc);
        ChannelLimits under = new ChannelLimits();
        under.limit("free", ChannelLimits.MAX_RATE, ChannelLimits.MAX_BURST, "bench");
        under.attach(underLimit::setThrottles);
        overLimit = Buses.create(1024, "backoff", time, hlc);
        ChannelLimits over = new ChannelLimits();
        over.limit("free", 1e-6, 1, "bench");
        over.attach(overLimit::setThrottles);
        overLimit.tryPublish(PhasePacket.builder("first").channel("free").build()); // takes the one token
        refused = PhasePacket.builder("x").channel("free").build();
        cell = new ChannelLimits.Limit("cell", ChannelLimits.MAX_RATE, ChannelLimits.MAX_BURST, "", null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        unlimited.close();
        otherLimited.close();
        underLimit.close();
        overLimit.close();
    }

    private static PhasePacket<String> packet() {
        return PhasePacket.builder("x").channel("free").build();
    }

    @Benchmark
    public PublishStatus noLimitAnywhere() {
        return unlimited.tryPublish(packet());
    }

    @Benchmark
    public PublishStatus limitOnAnotherChannel() {
        return otherLimited.tryPublish(packet());
    }

    @Benchmark
    public PublishStatus underTheLimit() {
        return underLimit.tryPublish(packet());
    }

    @Benchmark
    public PublishStatus overTheLimitRefused() {
        return overLimit.tryPublish(refused);
    }

    @Benchmark
    public long gcraCellAlone() {
        return cell.take(t++, 0);
    }
}
