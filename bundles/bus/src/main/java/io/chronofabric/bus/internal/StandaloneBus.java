package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A bus outside OSGi with the default settings, for the tests of bundles that need a real one
 * (the network bundle's nodes in one JVM). In this bundle's private package: not exported, not for
 * use in a framework.
 */
public final class StandaloneBus {

    private StandaloneBus() {
    }

    /** A bus with default settings on this time source and HLC; its dead letters stay in memory until {@link #attachLog}. */
    public static PhaseCoherenceBus start(TimeSource time, HlcClock hlc) {
        return new PhaseCoherenceBus(Settings.DEFAULTS, time, hlc, SequenceStore.inMemory(), null);
    }

    /**
     * Attaches a durable dead-letter log in {@code dir} (the store the DeadLetterLog service uses)
     * and returns it; close it with {@link #closeLog}.
     */
    public static DeadLetterLog attachLog(PhaseCoherenceBus bus, Path dir) throws IOException {
        DeadLetterStore store = DeadLetterStore.open(DeadLetterStore.Options.defaults(dir), () -> System.currentTimeMillis() * 1_000_000L,
                name -> Class.forName(name, false, StandaloneBus.class.getClassLoader()));
        DeadLetterLogComponent log = DeadLetterLogComponent.on(store, bus);
        bus.setDeadLetterSink(log);
        STORES.put(log, store);
        return log;
    }

    private static final java.util.Map<DeadLetterLog, DeadLetterStore> STORES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Closes a log from {@link #attachLog}, after the bus. */
    public static void closeLog(DeadLetterLog log) {
        DeadLetterStore s = STORES.remove(log);
        if (s != null) {
            s.close();
        }
    }

    /** Reports traced packets' spans to these sinks (none: tracing off). */
    public static void spanSinks(PhaseCoherenceBus bus, java.util.List<io.chronofabric.api.trace.SpanSink> sinks) {
        bus.setSpanSinks(sinks);
    }

    /**
     * Subscribes a handler to a channel (every payload type), on a dispatcher thread or, with
     * {@code sameThread}, on the publisher's thread.
     */
    public static SubscriptionId handle(PhaseCoherenceBus bus, String channel, PacketHandler<?> handler, boolean sameThread) {
        return bus.addHandler(handler, Object.class, channel, -1, "standalone", sameThread);
    }
}
