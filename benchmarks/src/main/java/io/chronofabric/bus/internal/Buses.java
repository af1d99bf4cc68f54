package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;

/**
 * Benchmark access to the bus outside OSGi: the same {@link PhaseCoherenceBus} the DS component
 * wraps, with the given queue capacity and default settings otherwise.
 */
public final class Buses {

    private Buses() {
    }

    public static PhaseCoherenceBus create(int queueCapacity, String waitStrategy, TimeSource time, HlcClock hlc) {
        return create(queueCapacity, waitStrategy, 1, time, hlc);
    }

    public static PhaseCoherenceBus create(int queueCapacity, String waitStrategy, int dispatchers, TimeSource time, HlcClock hlc) {
        Settings d = Settings.DEFAULTS;
        Settings s = new Settings(queueCapacity, WaitStrategy.parse(waitStrategy), dispatchers, d.defaultRetries(), d.defaultTimeoutNanos(),
                d.maxHeld(), d.shutdownTimeoutNanos(), d.healthMaxAvgLatencyNanos(), d.healthMinCapacity(),
                d.throughputWindowNanos(), d.causalAlways());
        return new PhaseCoherenceBus(s, time, hlc);
    }

    /** A queued handler on a channel, as a whiteboard handler with only chronofabric.bus.channel set. */
    public static void addHandler(PhaseCoherenceBus bus, String channel, PacketHandler<?> handler) {
        bus.addHandler(handler, Object.class, channel, -1, "benchmark");
    }

    public static void addHandler(PhaseCoherenceBus bus, PacketHandler<?> handler, Class<?> type) {
        bus.addHandler(handler, type, null, -1, "benchmark");
    }
}
