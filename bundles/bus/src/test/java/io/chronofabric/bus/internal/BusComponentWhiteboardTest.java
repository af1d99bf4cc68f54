package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

/** The whiteboard side of the DS component: a handler's property change keeps or moves its subscription without a gap. */
class BusComponentWhiteboardTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void shouldKeepTheSubscriptionWhenOnlyUnrelatedPropertiesChangeAndMoveItWithoutAGapOtherwise() {
        BusComponent c = new BusComponent();
        SystemTimeSource ts = new SystemTimeSource();
        c.bindTimeSource(ts);
        c.bindHlc(new HlcClockImpl(ts, 1, 500_000_000L));
        BusConfig config = (BusConfig) Proxy.newProxyInstance(BusConfig.class.getClassLoader(), new Class<?>[] {BusConfig.class},
                (p, m, a) -> m.getName().equals("state_dir") ? dir.toString() : m.getDefaultValue());
        c.activate(null, config, Map.of());
        try {
            Map<String, Object> props = new HashMap<>(Map.of(PacketHandler.CHANNEL, "wb.a", "service.id", 7L));
            ServiceReference<PacketHandler<?>> ref = (ServiceReference<PacketHandler<?>>) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {ServiceReference.class}, (p, m, a) -> switch (m.getName()) {
                        case "getProperty" -> props.get((String) a[0]);
                        case "hashCode" -> 7;
                        case "equals" -> p == a[0];
                        default -> null;
                    });
            List<Object> got = new CopyOnWriteArrayList<>();
            PacketHandler<Object> h = p -> got.add(p.payload());
            c.addHandler(ref, h);
            SubscriptionInfo first = only(c, "wb.a");

            props.put("some.config.key", "changed");
            c.updatedHandler(ref, h);
            assertThat(only(c, "wb.a").id()).as("unrelated change: same subscription").isEqualTo(first.id());

            props.put(PacketHandler.CHANNEL, "wb.b");
            c.updatedHandler(ref, h);
            assertThat(c.activeSubscriptions().stream().filter(s -> "wb.a".equals(s.channel()))).isEmpty();
            assertThat(only(c, "wb.b").id()).isNotEqualTo(first.id());
            c.publish(PhasePacket.builder("moved").channel("wb.b").build());
            BusTestSupport.await(() -> got.contains("moved"), "the moved handler gets packets on its new channel");
        } finally {
            c.deactivate();
        }
    }

    private static SubscriptionInfo only(BusComponent c, String channel) {
        List<SubscriptionInfo> l = c.activeSubscriptions().stream().filter(s -> channel.equals(s.channel())).toList();
        assertThat(l).hasSize(1);
        return l.get(0);
    }
}
