package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ipc, driver = auto: the node that ran the shared driver stops; the other node's watchdog
 * restarts it, it launches a new driver, the first node comes back as a client of that one, and
 * packets flow both ways again.
 */
class DriverWatchdogTest {

    @TempDir
    File dir;

    private final AtomicReference<NetworkNode> a = new AtomicReference<>();
    private final AtomicReference<NetworkNode> b = new AtomicReference<>();
    private DriverWatchdog watchdog;

    @AfterEach
    void close() {
        CloseHelper.quietCloseAll(watchdog, b.get(), a.get());
    }

    private NetworkNode start(int id, List<Object> into) {
        return NetworkNode.start(new NetworkNode.Settings(id, Map.of(1, "ipc", 2, "ipc"), new File(dir, "shared"), 64 * 1024, 50,
                10_000, 4096, new AeronTransport.Options(AeronTransport.Kind.IPC, AeronTransport.Driver.AUTO, 500, 1500)),
                new CodecRegistry(), new TestHlc(id, 500_000_000L), d -> into.add(d.packet().payload()), (p, r) -> { });
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

    private static WirePacket packet(int from, String text, long id) {
        return new WirePacket(from, "c", text, id, 1, Long.MAX_VALUE, -1L,
                new io.chronofabric.api.core.LogicalTime(System.currentTimeMillis() * 1_000_000L, 0, from), true);
    }

    @Test
    void shouldRestartANodeWhoseSharedDriverWentAwayAndCarryPacketsAgain() throws Exception {
        List<Object> onA = new CopyOnWriteArrayList<>();
        List<Object> onB = new CopyOnWriteArrayList<>();
        a.set(start(1, onA));
        b.set(start(2, onB));
        assertThat(a.get().transport().ownsDriver()).isTrue();
        assertThat(b.get().transport().ownsDriver()).isFalse();
        AtomicInteger restarts = new AtomicInteger();
        watchdog = new DriverWatchdog("node 2", 100, () -> b.get().transport().failure() != null, () -> {
            b.get().close();
            b.set(start(2, onB));
            restarts.incrementAndGet();
        });
        a.get().send(packet(1, "before", 1));
        await(() -> onB.contains("before"), "a packet before the driver went away");
        assertThat(restarts).hasValue(0);
        a.get().close(); // the node that ran the driver stops, and its driver with it
        await(() -> restarts.get() == 1, "node 2 restarted by its watchdog");
        assertThat(b.get().transport().ownsDriver()).as("node 2 launched a new driver (auto)").isTrue();
        a.set(start(1, onA)); // node 1 comes back: a client of node 2's driver now
        assertThat(a.get().transport().ownsDriver()).isFalse();
        a.get().send(packet(1, "after", 2));
        b.get().send(packet(2, "back", 3));
        await(() -> onB.contains("after") && onA.contains("back"), "packets both ways on the new driver");
        assertThat(b.get().transport().failure()).isNull();
        assertThat(restarts).hasValue(1);
    }
}
