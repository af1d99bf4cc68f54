package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.benchmarks.Publishers;
import io.chronofabric.time.internal.HlcClockImpl;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bus with a same-thread handler (chronofabric.bus.delivery=same-thread): the publisher's
 * thread calls the handler inside publish, as Event Admin's sendEvent does. Routed by channel, as
 * Event Admin routes by topic; the packet (payload and packet object) is created per publish, as
 * the Event and its property map are there.
 */
public final class SameThread {

    record Tick(long seq) {
    }

    private SameThread() {
    }

    /** Packets/s, {@code publishers} threads publishing {@code messages} in total to one same-thread handler. */
    public static double throughput(int messages, int publishers, TimeSource time) throws InterruptedException {
        PhaseCoherenceBus bus = Buses.create(1024, "backoff", time, new HlcClockImpl(time, 1, 500_000_000L));
        AtomicLong received = new AtomicLong();
        bus.addHandler((PacketHandler<Tick>) p -> received.incrementAndGet(), Object.class, "bench.one", -1, "benchmark", true);
        RoutingMetadata routing = RoutingMetadata.defaults(ComponentId.SYSTEM);
        try {
            return Publishers.drive(publishers, messages, 1, 0, received,
                    (p, i) -> bus.publish(PhasePacket.of(new Tick(i), "bench.one", routing)));
        } finally {
            bus.close();
        }
    }
}
