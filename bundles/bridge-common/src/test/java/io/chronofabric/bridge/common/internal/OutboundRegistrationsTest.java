package io.chronofabric.bridge.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.EventBus;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutboundRegistrationsTest {

    private static ChannelPatterns patterns(String entries) {
        return ChannelPatterns.parse(new String[] {entries}, new ArrayList<>());
    }

    /** A bus whose only working method is channels(): the given ones, or a failure when null. */
    private static EventBus bus(Set<String> channels) {
        return (EventBus) Proxy.newProxyInstance(EventBus.class.getClassLoader(), new Class<?>[] {EventBus.class}, (p, m, args) -> {
            if (m.getName().equals("channels")) {
                if (channels == null) {
                    throw new IllegalStateException("bus restarting");
                }
                return channels;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    @Test
    void shouldWantTheExactChannelsAndTheBusChannelsAPatternMatches() {
        Set<String> wanted = OutboundRegistrations.wanted(patterns("orders, sensors.*"),
                bus(Set.of("sensors.a", "sensors.b", "prices", Channels.DEAD_LETTER)), Set.of());

        assertThat(wanted).containsExactlyInAnyOrder("orders", "sensors.a", "sensors.b");
    }

    @Test
    void shouldNotAskTheBusWithoutPatterns() {
        assertThat(OutboundRegistrations.wanted(patterns("orders"), bus(null), Set.of("old"))).containsExactly("orders");
    }

    @Test
    void shouldKeepTheRegisteredMatchesWhenTheBusIsAbsentOrFailing() {
        Set<String> registered = Set.of("sensors.a", "orders", "prices");

        assertThat(OutboundRegistrations.wanted(patterns("orders, sensors.*"), null, registered))
                .containsExactlyInAnyOrder("orders", "sensors.a");
        assertThat(OutboundRegistrations.wanted(patterns("orders, sensors.*"), bus(null), registered))
                .containsExactlyInAnyOrder("orders", "sensors.a");
    }
}
