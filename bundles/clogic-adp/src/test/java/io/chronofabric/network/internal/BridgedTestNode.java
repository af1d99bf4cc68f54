package io.chronofabric.network.internal;

import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.network.PayloadCodec;
import io.chronofabric.bus.internal.PhaseCoherenceBus;
import io.chronofabric.bus.internal.StandaloneBus;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test support for ADP's tests (in the network bundle's package, to reach its package-private
 * classes from another module's tests): one node as the network component builds it, a real bus
 * (StandaloneBus) with a dead-letter log, an HLC on the system clock and a {@link NetworkNode} on
 * loopback UDP linked to the bus by {@link BusLink}, bridging the given channels; extra codecs
 * (ADP's ComputeCall and ExecutionResult) registered as the network component registers
 * {@code PayloadCodec} services. Copied from the network bundle's BridgedBusesTest.
 */
public final class BridgedTestNode implements AutoCloseable {

    public final int id;
    public final PhaseCoherenceBus bus;
    private final DeadLetterLog log;
    private final NetworkNode net;
    private volatile boolean closed;

    public BridgedTestNode(int id, Map<Integer, String> endpoints, File dir, List<String> channels, List<PayloadCodec<?>> codecs)
            throws Exception {
        this.id = id;
        SystemTimeSource ts = new SystemTimeSource();
        HlcClockImpl hlc = new HlcClockImpl(ts, id, 500_000_000L);
        bus = StandaloneBus.start(ts, hlc);
        log = StandaloneBus.attachLog(bus, new File(dir, "dl-" + id).toPath());
        CodecRegistry registry = new CodecRegistry();
        codecs.forEach(registry::add);
        BusLink link = new BusLink(bus, hlc, ComponentId.of(63));
        net = NetworkNode.start(new NetworkNode.Settings(id, endpoints, new File(dir, "aeron-" + id), 64 * 1024, 500, 10_000, 4096),
                registry, hlc, link::deliver, link::deadLetter);
        link.attach(net);
        for (String ch : channels) {
            StandaloneBus.handle(bus, ch, (PacketHandler<Object>) link::forward, true);
        }
    }

    /** Free loopback UDP endpoints for the node ids. */
    public static Map<Integer, String> endpoints(int... ids) {
        Map<Integer, String> m = new TreeMap<>();
        for (int id : ids) {
            while (!m.containsKey(id)) {
                int port = 21_000 + ThreadLocalRandom.current().nextInt(20_000);
                try (DatagramSocket s = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
                    s.getLocalPort();
                } catch (Exception e) {
                    continue;
                }
                if (!m.containsValue("127.0.0.1:" + port)) {
                    m.put(id, "127.0.0.1:" + port);
                }
            }
        }
        return m;
    }

    /** The network node's counters (sent, received, dead-lettered, ...). */
    public Map<String, Long> counters() {
        return net.counters();
    }

    /** The node goes away: its network node, bus and log close (idempotent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        org.agrona.CloseHelper.quietClose(net);
        bus.close();
        StandaloneBus.closeLog(log);
    }
}
