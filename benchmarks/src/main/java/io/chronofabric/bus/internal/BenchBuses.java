package io.chronofabric.bus.internal;

import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.util.concurrent.TimeUnit;

/**
 * Benchmarks only: a standalone bus with the default settings but the given wait strategy (the
 * bus's {@code wait.strategy}, {@code wait.backoff.spin.us}, {@code wait.backoff.yield.us}), for
 * {@code DispatchLatencyBench}. Settings is package-private in the bus bundle.
 */
public final class BenchBuses {

    private BenchBuses() {
    }

    /**
     * @param strategy backoff, park, yield or busy-spin
     * @param spinUs   BACKOFF: spin this long after the last packet
     * @param yieldUs  BACKOFF: then yield until this long after it
     */
    public static PhaseCoherenceBus start(TimeSource time, HlcClock hlc, String strategy, long spinUs, long yieldUs) {
        Settings d = Settings.DEFAULTS;
        Settings s = new Settings(d.queueCapacity(), WaitStrategy.parse(strategy), d.dispatcherThreads(), d.defaultRetries(),
                d.defaultTimeoutNanos(), d.maxHeld(), d.shutdownTimeoutNanos(), d.healthMaxAvgLatencyNanos(),
                d.healthMinCapacity(), d.throughputWindowNanos(), d.causalAlways(), TimeUnit.MICROSECONDS.toNanos(spinUs),
                TimeUnit.MICROSECONDS.toNanos(yieldUs));
        return new PhaseCoherenceBus(s, time, hlc, SequenceStore.inMemory(), null);
    }
}
