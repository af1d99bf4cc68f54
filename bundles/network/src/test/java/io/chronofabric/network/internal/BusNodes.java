package io.chronofabric.network.internal;

import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.patterns.RequestReply;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;

/**
 * Real buses (StandaloneBus, durable dead-letter log, HLC on the system clock, node ids = network
 * ids) linked by network nodes on loopback UDP as the network component links them (BusLink), built
 * as in {@link BridgedBusesTest}, with the term length and payload limits of each test.
 */
final class BusNodes implements AutoCloseable {

    static final String[] BRIDGED = {"orders", "big", "svc", RequestReply.REPLY_CHANNEL};

    final File dir;
    final Map<Integer, String> endpoints;
    final Node[] nodes = new Node[8];

    BusNodes(File dir, int... ids) {
        this.dir = dir;
        this.endpoints = endpoints(ids);
    }

    /** One node: bus, log, HLC, network node, and what arrived on its channels. */
    final class Node {
        final int id;
        final HlcClockImpl hlc;
        final PhaseCoherenceBus bus;
        final DeadLetterLog log;
        final NetworkNode net;
        final List<PhasePacket<Object>> delivered = new CopyOnWriteArrayList<>();
        final List<Long> arrived = new CopyOnWriteArrayList<>();

        Node(NetworkNode.Settings settings, long remoteWaitMs) throws Exception {
            this.id = settings.nodeId();
            SystemTimeSource ts = new SystemTimeSource();
            hlc = new HlcClockImpl(ts, id, 500_000_000L);
            bus = StandaloneBus.start(ts, hlc);
            java.lang.reflect.Method wait = PhaseCoherenceBus.class.getDeclaredMethod("setRemoteWaitNanos", long.class);
            wait.setAccessible(true);
            wait.invoke(bus, TimeUnit.MILLISECONDS.toNanos(remoteWaitMs)); // causal.remote.wait.ms
            log = StandaloneBus.attachLog(bus, new File(dir, "dl-" + id).toPath());
            BusLink link = new BusLink(bus, hlc, ComponentId.of(63));
            net = NetworkNode.start(settings, new CodecRegistry(), hlc, d -> {
                arrived.add(d.packet().messageId());
                link.deliver(d);
            }, link::deadLetter);
            link.attach(net);
            for (String ch : BRIDGED) {
                StandaloneBus.handle(bus, ch, (PacketHandler<Object>) link::forward, true);
                StandaloneBus.handle(bus, ch, (PacketHandler<Object>) delivered::add, false);
            }
        }

        void close() {
            CloseHelper.quietClose(net);
            bus.close();
            StandaloneBus.closeLog(log);
        }

        List<Object> payloads(String channel) {
            return delivered.stream().filter(p -> p.channel().equals(channel)).map(PhasePacket::payload).toList();
        }

        PhasePacket<Object> deliveredWith(long messageId) {
            return delivered.stream().filter(p -> p.messageIdValue() == messageId).findFirst().orElse(null);
        }

        boolean hasDelivered(long messageId) {
            return deliveredWith(messageId) != null;
        }

        long publish(String channel, Object payload, long... dependsOn) {
            PhasePacket.Builder<Object> b = PhasePacket.builder(payload).channel(channel).guaranteed(3);
            if (dependsOn.length > 0) {
                b.dependsOn(dependsOn);
            }
            return bus.publish(b.build());
        }
    }

    NetworkNode.Settings settings(int id, long retransmitMs, long unreachableMs, int termLength) {
        return new NetworkNode.Settings(id, endpoints, new File(dir, "aeron-" + id), termLength, retransmitMs, unreachableMs, 4096);
    }

    Node start(NetworkNode.Settings settings, long remoteWaitMs) throws Exception {
        Node n = new Node(settings, remoteWaitMs);
        nodes[settings.nodeId()] = n;
        return n;
    }

    /** The nodes connected every way (a best-effort warm-up packet from each seen on each other), then their lists cleared. */
    void connect(int... ids) throws InterruptedException {
        for (int from : ids) {
            for (int to : ids) {
                if (from != to) {
                    Node a = nodes[from];
                    Node b = nodes[to];
                    String hello = "warm-up from " + from;
                    await(() -> {
                        a.bus.publish(PhasePacket.builder(hello).channel("orders").build());
                        return b.payloads("orders").contains(hello);
                    }, 60, "node " + from + " reaches node " + to);
                }
            }
        }
        Thread.sleep(50); // let the last warm-ups land before the lists are cleared
        for (int id : ids) {
            nodes[id].delivered.clear();
            nodes[id].arrived.clear();
        }
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }

    static Map<Integer, String> endpoints(int... ids) {
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

    /** Waits for the condition at most {@code seconds}; fails naming it. */
    static void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
