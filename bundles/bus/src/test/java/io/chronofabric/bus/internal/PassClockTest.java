package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.SimulatedTimeSourceImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's pass clock (one reading per pass, from the time source only while it keeps
 * pace with real time) and the latency histogram's hand-over schedule in that clock.
 */
class PassClockTest extends BusTestSupport {

    private static final long MS = 1_000_000L;

    /** Calls maybeCheck with readings of the clock it currently times passes with, for about {@code millis}. */
    private static void runPasses(PassClock clock, TimeSource ts, long millis) {
        long end = System.nanoTime() + millis * MS;
        while (System.nanoTime() < end) {
            boolean shared = clock.shared(ts);
            clock.maybeCheck(ts, shared ? ts.nowNanos() : System.nanoTime());
            LockSupport.parkNanos(100_000);
        }
    }

    @Test
    void shouldTimePassesWithTheSystemTimeSourceOnceItKeepsPace() {
        PassClock clock = new PassClock();
        TimeSource ts = new SystemTimeSource();
        assertThat(clock.shared(ts)).as("not before the first check").isFalse();
        // the check may fail when this thread is preempted between the two readings (loaded machine): give it time
        long end = System.nanoTime() + 10_000 * MS;
        while (!clock.shared(ts) && System.nanoTime() < end) {
            runPasses(clock, ts, 20);
        }
        assertThat(clock.shared(ts)).isTrue();
    }

    @Test
    void shouldNeverTimePassesWithASimulatedClockThatStandsStillOrJumps() {
        PassClock clock = new PassClock();
        SimulatedTimeSourceImpl still = new SimulatedTimeSourceImpl(1_000 * MS);
        runPasses(clock, still, 50);
        assertThat(clock.shared(still)).isFalse();
        assertThat(clock.generation()).isZero();

        SimulatedTimeSourceImpl jumping = new SimulatedTimeSourceImpl(1_000 * MS);
        long end = System.nanoTime() + 50 * MS;
        while (System.nanoTime() < end) {
            jumping.advance(10 * MS);
            clock.maybeCheck(jumping, clock.shared(jumping) ? jumping.nowNanos() : System.nanoTime());
            LockSupport.parkNanos(100_000);
        }
        assertThat(clock.shared(jumping)).isFalse();
    }

    @Test
    void shouldStartOverWhenTheTimeSourceIsReplaced() {
        PassClock clock = new PassClock();
        TimeSource ts = new SystemTimeSource();
        long end = System.nanoTime() + 10_000 * MS;
        while (!clock.shared(ts) && System.nanoTime() < end) {
            runPasses(clock, ts, 20);
        }
        assertThat(clock.shared(ts)).isTrue();
        int generation = clock.generation();
        assertThat(clock.shared(new SimulatedTimeSourceImpl(5 * MS))).isFalse();
        assertThat(clock.generation()).as("the dispatcher is told to drop intervals begun on the old clock").isGreaterThan(generation);
    }

    @Test
    void shouldHandOverHistogramsOnTheGivenClockAndAtOnceWhenItGoesBack() {
        LatencyHistogram h = new LatencyHistogram();
        Histogram target = new Histogram(1, BusMetrics.HIGHEST_TRACKABLE_NANOS, 2);
        long t = 5_000 * MS;
        h.flushIfDue(t); // schedules the first hand-over a second later
        h.record(100);
        h.flushIfDue(t + 500 * MS);
        h.drainInto(target);
        assertThat(target.getTotalCount()).as("not due yet").isZero();
        h.flushIfDue(t + 1_000 * MS);
        h.drainInto(target);
        assertThat(target.getTotalCount()).isEqualTo(1);

        h.record(200);
        h.flushIfDue(t - 3_000 * MS); // a replaced clock reading earlier than the last hand-over
        h.drainInto(target);
        assertThat(target.getTotalCount()).as("handed over, not stranded until the new clock catches up").isEqualTo(2);

        h.record(300);
        h.flushIdle(t - 3_000 * MS + MS); // before blocking: at most every 10 ms
        h.drainInto(target);
        assertThat(target.getTotalCount()).isEqualTo(2);
        h.flushIdle(t - 3_000 * MS + 11 * MS);
        h.drainInto(target);
        assertThat(target.getTotalCount()).isEqualTo(3);
    }

    @Test
    void shouldParkAnIdleBackoffDispatcherOnAStandingSimulatedClock() throws Exception {
        SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000 * MS); // never advanced
        PhaseCoherenceBus bus = simulatedBus(Settings.DEFAULTS, time);
        assertThat(Settings.DEFAULTS.waitStrategy()).isEqualTo(WaitStrategy.BACKOFF);
        AtomicInteger received = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Thread> dispatcher = new java.util.concurrent.atomic.AtomicReference<>();
        bus.addHandler((PacketHandler<String>) p -> {
            dispatcher.set(Thread.currentThread());
            received.incrementAndGet();
        }, String.class, null, -1, "test");
        bus.publish(PhasePacket.of("one", ComponentId.SYSTEM));
        await(() -> received.get() == 1, "the delivery");
        // its back-off windows (20 us spinning, 200 us yielding) are real time: it must block soon after
        // (a dispatcher timing them on the standing clock would spin for ever: RUNNABLE)
        Thread t = dispatcher.get();
        await(() -> t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.WAITING,
                "the idle dispatcher parked");
        bus.publish(PhasePacket.of("two", ComponentId.SYSTEM));
        await(() -> received.get() == 2, "a delivery after the park (the publisher wakes it)");
    }
}
