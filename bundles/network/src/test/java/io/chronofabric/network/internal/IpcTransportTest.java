package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.bus.internal.PhaseCoherenceBus;
import io.chronofabric.bus.internal.StandaloneBus;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transport = ipc: nodes of one machine, each with its own Aeron client, on one shared media
 * driver over {@code aeron:ipc}; in one JVM and across two JVMs.
 */
class IpcTransportTest {

    @TempDir
    File dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            CloseHelper.quietClose(open.get(i));
        }
    }

    private File aeronDir() {
        return new File(dir, "shared-driver");
    }

    /** A driver as an external process would run it (aeronmd): not a node's. */
    private MediaDriver externalDriver() {
        MediaDriver d = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(aeronDir().getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000))
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true).termBufferSparseFile(true).ipcTermBufferLength(64 * 1024));
        open.add(d);
        return d;
    }

    private static AeronTransport.Options ipc(AeronTransport.Driver driver, long timeoutMs, int streamBase) {
        return new AeronTransport.Options(AeronTransport.Kind.IPC, driver, timeoutMs, streamBase);
    }

    private NetworkNode node(int id, Map<Integer, String> nodes, AeronTransport.Options o, List<NetworkNode.Delivered> into) {
        NetworkNode n = NetworkNode.start(new NetworkNode.Settings(id, nodes, aeronDir(), 64 * 1024, 100, 10_000, 4096, o),
                new CodecRegistry(), new TestHlc(id, 500_000_000L), into::add, (p, r) -> into.add(null));
        open.add(n);
        return n;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static WirePacket packet(int from, String channel, Object payload, long id, boolean guaranteed) {
        return new WirePacket(from, channel, payload, id, 1, Long.MAX_VALUE, -1L,
                new io.chronofabric.api.core.LogicalTime(System.currentTimeMillis() * 1_000_000L, 0, from), guaranteed);
    }

    @Test
    void shouldBridgeTwoRealBusesOverIpcEachWithItsOwnClientOnOneSharedDriver() throws Exception {
        Map<Integer, String> nodes = Map.of(1, "ipc", 2, "ipc");
        SystemTimeSource ts = new SystemTimeSource();
        List<List<PhasePacket<Object>>> got = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        NetworkNode[] net = new NetworkNode[2];
        for (int i = 0; i < 2; i++) {
            int id = i + 1;
            HlcClockImpl hlc = new HlcClockImpl(ts, id, 500_000_000L);
            PhaseCoherenceBus bus = StandaloneBus.start(ts, hlc);
            open.add(bus::close);
            BusLink link = new BusLink(bus, hlc, ComponentId.of(63));
            // node 1 launches the shared driver (auto, none active yet), node 2 finds it active and connects
            net[i] = NetworkNode.start(new NetworkNode.Settings(id, nodes, aeronDir(), 64 * 1024, 50, 10_000, 4096,
                    ipc(AeronTransport.Driver.AUTO, 5_000, 1500)), new CodecRegistry(), hlc, link::deliver, link::deadLetter);
            open.add(net[i]);
            link.attach(net[i]);
            StandaloneBus.handle(bus, "orders", (PacketHandler<Object>) link::forward, true);
            StandaloneBus.handle(bus, "orders", (PacketHandler<Object>) got.get(i)::add, false);
            if (i == 0) {
                bus.publish(PhasePacket.builder("from 1").channel("orders").guaranteed(3).build());
            } else {
                bus.publish(PhasePacket.builder("from 2").channel("orders").guaranteed(3).build());
            }
        }
        assertThat(net[0].transport().ownsDriver()).isTrue();
        assertThat(net[1].transport().ownsDriver()).isFalse();
        assertThat(net[0].transport().subscriptionChannel()).isEqualTo("aeron:ipc");
        assertThat(net[0].transport().subscriptionStream()).isEqualTo(1501);
        assertThat(net[1].transport().subscriptionStream()).isEqualTo(1502);
        assertThat(net[1].transport().publicationChannel(1)).isEqualTo("aeron:ipc?term-length=65536");
        assertThat(net[1].transport().publicationStream(1)).isEqualTo(1501);
        // guaranteed: retransmitted until the other side's subscription is there
        await(() -> got.get(1).stream().anyMatch(p -> "from 1".equals(p.payload())), "node 1's packet on node 2's bus");
        await(() -> got.get(0).stream().anyMatch(p -> "from 2".equals(p.payload())), "node 2's packet on node 1's bus");
        PhasePacket<Object> arrived = got.get(1).stream().filter(p -> "from 1".equals(p.payload())).findFirst().orElseThrow();
        assertThat(arrived.messageId().nodeId()).isEqualTo(1);
        assertThat(arrived.timestamp().nodeId()).isEqualTo(1);
        assertThat(net[0].counters().get("deadLettered")).isZero();
        assertThat(net[1].counters().get("deadLettered")).isZero();
    }

    @Test
    void shouldKeepNodesApartOnOneDriverByStream() throws Exception {
        externalDriver();
        Map<Integer, String> nodes = Map.of(0, "ipc", 1, "ipc", 2, "ipc");
        List<List<NetworkNode.Delivered>> got = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        NetworkNode[] n = new NetworkNode[3];
        for (int i = 0; i < 3; i++) {
            n[i] = node(i, nodes, ipc(AeronTransport.Driver.EXTERNAL, 5_000, 1500), got.get(i));
        }
        // another cluster on the same driver, its own stream base: sees nothing of the first
        List<NetworkNode.Delivered> other = new CopyOnWriteArrayList<>();
        node(0, Map.of(0, "ipc", 1, "ipc"), ipc(AeronTransport.Driver.EXTERNAL, 5_000, 1600), other);
        n[0].send(packet(0, "c", "to 1 only", 10, true), 1);
        await(() -> got.get(1).stream().anyMatch(d -> d != null && "to 1 only".equals(d.packet().payload())), "0 -> 1");
        n[0].send(packet(0, "c", "to 2 only", 11, true), 2);
        await(() -> !got.get(2).isEmpty(), "0 -> 2");
        n[2].send(packet(2, "c", "from 2 to all", 12, true));
        await(() -> got.get(0).stream().anyMatch(d -> d != null && "from 2 to all".equals(d.packet().payload()))
                && got.get(1).stream().anyMatch(d -> d != null && "from 2 to all".equals(d.packet().payload())), "2 -> 0, 1");
        assertThat(got.get(2)).extracting(d -> d.packet().payload()).containsExactly("to 2 only");
        assertThat(got.get(1)).extracting(d -> d.packet().payload()).containsExactly("to 1 only", "from 2 to all");
        assertThat(got.get(0)).extracting(d -> d.packet().origin()).containsExactly(2);
        assertThat(other).isEmpty();
    }

    @Test
    void shouldRefuseAnEmbeddedDriverWhereOneIsActive() {
        externalDriver();
        assertThatThrownBy(() -> node(0, Map.of(0, "ipc", 1, "ipc"), ipc(AeronTransport.Driver.EMBEDDED, 5_000, 1500),
                new ArrayList<>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("driver = embedded but a media driver is active in " + aeronDir());
    }

    @Test
    void shouldNotStartWithoutADriverNamingTheDirectory() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> node(0, Map.of(0, "ipc", 1, "ipc"), ipc(AeronTransport.Driver.EXTERNAL, 300, 1500),
                new ArrayList<>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no media driver answers in " + aeronDir());
        // bounded by the driver timeout, not a hang (generous margin for loaded cores)
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(30);
    }

    @Test
    void shouldReportADeadDriverAndRefuseToSendInsteadOfHanging() throws Exception {
        MediaDriver driver = externalDriver();
        List<NetworkNode.Delivered> got = new CopyOnWriteArrayList<>();
        NetworkNode n = node(0, Map.of(0, "ipc", 1, "ipc"), ipc(AeronTransport.Driver.EXTERNAL, 500, 1500), got);
        assertThat(n.transport().failure()).isNull();
        driver.close();
        await(() -> n.transport().failure() != null, "the client noticing its driver is gone");
        assertThat(n.transport().failure()).contains(aeronDir().toString());
        assertThatThrownBy(() -> n.send(packet(0, "c", "x", 1, true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Network node 0 cannot send")
                .hasMessageContaining(aeronDir().toString());
    }

    @Test
    void shouldExchangePacketsWithANodeInAnotherJvmOnTheSharedDriver() throws Exception {
        List<NetworkNode.Delivered> got = new CopyOnWriteArrayList<>();
        // this JVM's node runs the driver (auto); the child's node connects to it (external)
        NetworkNode n = node(1, Map.of(1, "ipc", 2, "ipc"), ipc(AeronTransport.Driver.AUTO, 5_000, 1500), got);
        assertThat(n.transport().ownsDriver()).isTrue();
        String java = new File(System.getProperty("java.home"), "bin/java").getAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-opens", "java.base/java.util.zip=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                IpcNodeMain.class.getName(), aeronDir().getAbsolutePath(), "2", "1");
        pb.redirectErrorStream(true);
        Process child = pb.start();
        open.add(child::destroyForcibly);
        List<String> childOut = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    childOut.add(line);
                }
            } catch (java.io.IOException e) {
                childOut.add("read failed: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        await(() -> childOut.contains("READY") || !child.isAlive(), "the child node up: " + childOut);
        assertThat(child.isAlive()).as("child output: %s", childOut).isTrue();
        for (int i = 0; i < 3; i++) {
            n.send(packet(1, "echo", "ping " + i, 100 + i, true), 2);
        }
        await(() -> got.stream().filter(d -> d != null).count() >= 3, "3 echoes from the other JVM: " + childOut);
        assertThat(got).extracting(d -> d.packet().payload()).containsExactlyInAnyOrder("echo ping 0", "echo ping 1", "echo ping 2");
        assertThat(got).allSatisfy(d -> assertThat(d.packet().origin()).isEqualTo(2));
        n.send(packet(1, "echo", "bye", 200, true), 2);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exits after bye: %s", childOut).isTrue();
        assertThat(child.exitValue()).as("child output: %s", childOut).isZero();
    }
}
