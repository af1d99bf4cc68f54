package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.bus.internal.PhaseCoherenceBus;
import io.chronofabric.bus.internal.StandaloneBus;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sample of {@link ApiRecordCodecsTest} published on one real bus crosses to another real
 * bus (two nodes on one shared driver over ipc, as the network component links them) and arrives
 * there equal, field by field and bit for bit, through the built-in codecs.
 */
class ApiRecordsAcrossBusesTest {

    @TempDir
    File dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            CloseHelper.quietClose(open.get(i));
        }
    }

    private PhaseCoherenceBus node(int id, Map<Long, Object> into) {
        SystemTimeSource ts = new SystemTimeSource();
        HlcClockImpl hlc = new HlcClockImpl(ts, id, 500_000_000L);
        PhaseCoherenceBus bus = StandaloneBus.start(ts, hlc);
        open.add(bus::close);
        BusLink link = new BusLink(bus, hlc, ComponentId.of(63));
        NetworkNode net = NetworkNode.start(new NetworkNode.Settings(id, Map.of(1, "ipc", 2, "ipc"), new File(dir, "driver"),
                1 << 20, 50, 20_000, 4096, new AeronTransport.Options(AeronTransport.Kind.IPC, AeronTransport.Driver.AUTO, 5_000,
                        1500)), new CodecRegistry(), hlc, link::deliver, link::deadLetter);
        open.add(net);
        link.attach(net);
        StandaloneBus.handle(bus, "api", (PacketHandler<Object>) link::forward, true);
        StandaloneBus.handle(bus, "api", (PacketHandler<Object>) p -> into.put(p.messageId().value(), p.payload()), false);
        return bus;
    }

    @Test
    void shouldCarryEveryBuiltInApiRecordAcrossTwoRealBusesUnchanged() throws Exception {
        Map<Long, Object> arrivedOn2 = new ConcurrentHashMap<>();
        PhaseCoherenceBus bus1 = node(1, new ConcurrentHashMap<>());
        node(2, arrivedOn2);
        Map<Long, Object> sent = new java.util.LinkedHashMap<>();
        ApiRecordCodecsTest.samples().forEach(a -> {
            Object value = a.get()[0];
            sent.put(bus1.publish(PhasePacket.builder(value).channel("api").guaranteed(3).build()), value);
        });
        assertThat(sent.keySet()).allMatch(id -> id > 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (arrivedOn2.size() < sent.size() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(arrivedOn2.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        for (Map.Entry<Long, Object> e : sent.entrySet()) {
            Object back = arrivedOn2.get(e.getKey());
            assertThat(back).isExactlyInstanceOf(e.getValue().getClass());
            assertThat(back).as("%s", e.getValue().getClass().getSimpleName()).usingRecursiveComparison()
                    .withComparatorForType((x, y) -> Long.compare(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(y)),
                            Double.class)
                    .withComparatorForType((x, y) -> Integer.compare(Float.floatToRawIntBits(x), Float.floatToRawIntBits(y)),
                            Float.class)
                    .isEqualTo(e.getValue());
        }
    }
}
