package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.core.ComponentId;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WaitStrategyTest extends BusTestSupport {

    private static final long US = 1_000L;

    @Test
    void shouldParseEveryStrategyByItsKey() {
        for (WaitStrategy w : WaitStrategy.values()) {
            assertThat(WaitStrategy.parse(" " + w.key().toUpperCase() + " ")).isSameAs(w);
        }
        assertThatThrownBy(() -> WaitStrategy.parse("sleep")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wait.strategy=sleep").hasMessageContaining("backoff");
    }

    @Test
    void shouldSpinThenYieldThenBlockByIdleTimeUnderBackoff() {
        WaitStrategy b = WaitStrategy.BACKOFF;
        // the phases follow the idle time, whatever the poll count
        assertThat(b.idle(1_000_000, 5 * US, 20 * US, 200 * US)).isZero(); // spinning
        assertThat(b.idle(1, 50 * US, 20 * US, 200 * US)).isZero(); // yielding
        assertThat(b.idle(1, 200 * US, 20 * US, 200 * US)).isEqualTo(WaitStrategy.MAX_BLOCK_NANOS);
        assertThat(b.timed()).isTrue();
        // the counted strategies ignore the idle time
        assertThat(WaitStrategy.PARK.idle(299, Long.MAX_VALUE, 0, 0)).isZero();
        assertThat(WaitStrategy.PARK.idle(300, 0, 0, 0)).isEqualTo(WaitStrategy.MAX_BLOCK_NANOS);
        assertThat(WaitStrategy.BUSY_SPIN.idle(Integer.MAX_VALUE, Long.MAX_VALUE, 0, 0)).isZero();
        assertThat(WaitStrategy.YIELD.idle(Integer.MAX_VALUE, Long.MAX_VALUE, 0, 0)).isZero();
    }

    @Test
    void shouldReadAndCheckTheBackoffWindows() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("wait.strategy", "backoff");
        raw.put("wait.backoff.spin.us", 5L);
        raw.put("wait.backoff.yield.us", 300L);
        Settings s = Settings.from(config(raw), raw);
        assertThat(s.waitStrategy()).isEqualTo(WaitStrategy.BACKOFF);
        assertThat(s.backoffSpinNanos()).isEqualTo(5 * US);
        assertThat(s.backoffYieldNanos()).isEqualTo(300 * US);
        assertThat(s.toString()).contains("wait.strategy=backoff (spin 5 us, yield to 300 us)");

        raw.put("wait.backoff.yield.us", 4L);
        assertThatThrownBy(() -> Settings.from(config(raw), raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wait.backoff.yield.us=4").hasMessageContaining("5 (wait.backoff.spin.us)");
        raw.put("wait.backoff.spin.us", -1L);
        assertThatThrownBy(() -> Settings.from(config(raw), raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wait.backoff.spin.us=-1");
    }

    @Test
    void shouldDefaultToTheBackoffWindowsOfTheConfiguration() {
        Map<String, Object> raw = new HashMap<>();
        Settings s = Settings.from(config(raw), raw);
        assertThat(s.backoffSpinNanos()).isEqualTo(Settings.DEFAULT_BACKOFF_SPIN_NANOS);
        assertThat(s.backoffYieldNanos()).isEqualTo(Settings.DEFAULT_BACKOFF_YIELD_NANOS);
        assertThat(s.waitStrategy()).isEqualTo(Settings.DEFAULTS.waitStrategy());
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void shouldDeliverEveryPacketToHandlersAndReceiversWithEachStrategy(WaitStrategy strategy) throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(4096, 1).withWaitStrategy(strategy)); // room for all: the receiver is read after
        Collecting<Integer> handler = new Collecting<>();
        bus.addHandler(handler, Integer.class, null, -1, "test");
        Receiver<Integer> receiver = bus.subscribe(Integer.class);
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            bus.publish(PhasePacket.builder(i).guaranteed(50).timeout(5_000 * MS).build());
            if (i % 500 == 0) {
                Thread.sleep(2); // let the consumers go idle and wait in their strategy now and then
            }
        }
        for (int i = 0; i < n; i++) {
            PhasePacket<Integer> p = receiver.take(10, TimeUnit.SECONDS);
            assertThat(p).as("packet %d with %s", i, strategy).isNotNull();
            assertThat(p.payload()).isEqualTo(i);
        }
        await(() -> handler.received.size() == n, "every packet handled with " + strategy);
        assertThat(handler.payloads()).isSorted().doesNotHaveDuplicates();
        assertThat(bus.stats().dropped()).isZero();
    }

    @Test
    void shouldBlockAnIdleBackoffDispatcherAndWakeItForTheNextPacket() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1).withWaitStrategy(WaitStrategy.BACKOFF));
        AtomicReference<Thread> caller = new AtomicReference<>();
        AtomicInteger handled = new AtomicInteger();
        bus.addHandler((PacketHandler<String>) p -> {
            caller.set(Thread.currentThread());
            handled.incrementAndGet();
        }, String.class, null, -1, "test");
        bus.publish(PhasePacket.of("first", ComponentId.SYSTEM));
        await(() -> handled.get() == 1, "first packet handled");
        Thread dispatcher = caller.get();
        // past its yield window an idle dispatcher blocks (no CPU) until a publisher wakes it
        await(() -> dispatcher.getState() == Thread.State.TIMED_WAITING, "the idle dispatcher blocked");
        bus.publish(PhasePacket.of("second", ComponentId.SYSTEM));
        await(() -> handled.get() == 2, "second packet handled after the wake-up");
    }

    /** A BusConfig answering from the map, else the annotation's defaults. */
    static BusConfig config(Map<String, Object> raw) {
        return (BusConfig) Proxy.newProxyInstance(BusConfig.class.getClassLoader(), new Class<?>[] {BusConfig.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    Object v = raw.get(key);
                    if (v == null) {
                        return method.getDefaultValue();
                    }
                    if (method.getReturnType() == int.class) {
                        return ((Number) v).intValue();
                    }
                    if (method.getReturnType() == long.class) {
                        return ((Number) v).longValue();
                    }
                    return v;
                });
    }
}
