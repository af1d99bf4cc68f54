package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.BusBridge;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.InitializationException;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/**
 * The component's own paths (DS activate, modified, deactivate, with stand-ins for OSGi and the
 * bus): a reconfiguration hands the unacknowledged guaranteed packets to the new node, which
 * delivers them once the addressee is up; deactivation and a configuration that does not start
 * dead-letter them on the bus with the reason.
 */
class NetworkComponentRestartTest {

    @TempDir
    File dir;

    private final List<String> busDeadLetters = new CopyOnWriteArrayList<>();
    private final List<NetworkNode.Delivered> onNode1 = new CopyOnWriteArrayList<>();
    private final NetworkComponent component = new NetworkComponent();
    private final TestHlc hlc = new TestHlc(0, 500_000_000L);
    private NetworkNode node1;
    private boolean active;

    @AfterEach
    void close() {
        if (active) {
            component.deactivate();
        }
        CloseHelper.quietClose(node1);
    }

    private static Map<Integer, String> endpoints(int n) {
        Map<Integer, String> m = new TreeMap<>();
        while (m.size() < n) {
            int port = 21_000 + ThreadLocalRandom.current().nextInt(20_000);
            try (DatagramSocket s = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
                s.getLocalPort();
            } catch (Exception e) {
                continue;
            }
            if (!m.containsValue("127.0.0.1:" + port)) {
                m.put(m.size(), "127.0.0.1:" + port);
            }
        }
        return m;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private NetworkConfig config(String nodes) {
        Map<String, Object> values = new HashMap<>(Map.of("node_id", 0, "nodes", nodes, "dir", new File(dir, "node-0").getPath(),
                "term_length", 64 * 1024, "retransmit_ms", 100L, "unreachable_ms", 20_000L));
        return (NetworkConfig) Proxy.newProxyInstance(NetworkConfig.class.getClassLoader(), new Class<?>[] {NetworkConfig.class},
                (p, m, args) -> values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue());
    }

    private static String spec(Map<Integer, String> endpoints) {
        StringBuilder b = new StringBuilder();
        endpoints.forEach((id, at) -> b.append(b.length() == 0 ? "" : ",").append(id).append('=').append(at));
        return b.toString();
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, args) -> m.getName().equals("getDataFile") ? new File(dir, (String) args[0]) : null);
    }

    private void wire() throws Exception {
        BusBridge bus = (BusBridge) Proxy.newProxyInstance(BusBridge.class.getClassLoader(), new Class<?>[] {BusBridge.class},
                (p, m, args) -> {
                    if (m.getName().equals("deadLetter")) {
                        busDeadLetters.add(((PhasePacket<?>) args[0]).payload() + ": " + args[1]);
                    }
                    return m.getReturnType() == long.class ? 0L : null;
                });
        for (String[] f : new String[][] {{"bus", null}, {"hlc", null}}) {
            Field field = NetworkComponent.class.getDeclaredField(f[0]);
            field.setAccessible(true);
            field.set(component, f[0].equals("bus") ? bus : hlc);
        }
    }

    private NetworkNode node() {
        try {
            Field f = NetworkComponent.class.getDeclaredField("node");
            f.setAccessible(true);
            return (NetworkNode) f.get(component);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** As BusLink sends a packet published on this node's bus: the bus packet travels along for its dead letter. */
    private WirePacket packet(String text, long id) {
        PhasePacket<String> local = PhasePacket.of(text, ComponentId.of(1));
        return new WirePacket(0, "audit", text, id, 1, Long.MAX_VALUE, -1L, hlc.now(), true, 0, 0, null, null, local);
    }

    private void startNode1(Map<Integer, String> endpoints) {
        node1 = NetworkNode.start(new NetworkNode.Settings(1, endpoints, new File(dir, "node-1"), 64 * 1024, 100, 20_000, 4096),
                new CodecRegistry(), new TestHlc(1, 500_000_000L), onNode1::add, (p, r) -> { });
    }

    @Test
    void shouldNotRestartAHealthyNodeOnAStaleDriverWatchdogRun() throws Exception {
        Map<Integer, String> endpoints = endpoints(2);
        wire();
        component.activate(context(), config(spec(endpoints)));
        active = true;
        NetworkNode healthy = node();
        assertThat(healthy.transport().failure()).isNull();
        component.restartAfterDriverLoss(); // as a watchdog run that saw a failure since cleared
        assertThat(node()).isSameAs(healthy);
        assertThat(healthy.counters().get("handedOver")).isZero();
    }

    @Test
    void shouldHandTheUnacknowledgedPacketsToTheNodeOfTheNewConfiguration() throws Exception {
        Map<Integer, String> endpoints = endpoints(2);
        wire();
        component.activate(context(), config(spec(endpoints)));
        active = true;
        NetworkNode first = node();
        first.send(packet("accepted before the reconfiguration", 41)); // node 1 is not up
        await(() -> first.counters().get("retransmits") >= 2, "retransmissions to the absent node 1");
        component.modified(context(), config(spec(endpoints)));
        assertThat(node()).isNotSameAs(first);
        assertThat(node().counters().get("handedOver")).isEqualTo(1);
        startNode1(endpoints);
        await(() -> !onNode1.isEmpty(), "the packet on node 1 from the new node");
        await(() -> node().counters().get("acknowledged") >= 1, "acknowledged to the new node");
        assertThat(onNode1).singleElement().satisfies(d -> {
            assertThat(d.packet().messageId()).isEqualTo(41);
            assertThat(d.packet().payload()).isEqualTo("accepted before the reconfiguration");
        });
        assertThat(busDeadLetters).isEmpty();
    }

    @Test
    void shouldDeadLetterOnTheBusWhenDeactivatedOrWhenTheNewConfigurationDoesNotStart() throws Exception {
        Map<Integer, String> endpoints = endpoints(2);
        wire();
        component.activate(context(), config(spec(endpoints)));
        active = true;
        node().send(packet("accepted, then the configuration broke", 42));
        NetworkNode first = node();
        await(() -> first.counters().get("retransmits") >= 1, "a retransmission");
        assertThatThrownBy(() -> component.modified(context(), config("1=" + endpoints.get(1)))) // node 0 not among the nodes
                .isInstanceOf(InitializationException.class).hasMessageContaining("node.id 0 is not one of the nodes [1]");
        assertThat(busDeadLetters).singleElement().asString().startsWith("accepted, then the configuration broke: network node 0 "
                + "closed (reconfigured; the new configuration did not start: ").endsWith(") before node 1 acknowledged it");
        component.modified(context(), config(spec(endpoints)));
        node().send(packet("accepted, then deactivated", 43));
        NetworkNode second = node();
        await(() -> second.counters().get("retransmits") >= 1, "a retransmission");
        component.deactivate();
        active = false;
        assertThat(busDeadLetters).hasSize(2).last().asString().isEqualTo("accepted, then deactivated: network node 0 closed "
                + "(component deactivated) before node 1 acknowledged it");
    }
}
