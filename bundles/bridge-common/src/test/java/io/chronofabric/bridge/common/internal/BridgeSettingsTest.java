package io.chronofabric.bridge.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.DeliveryGuarantee;
import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.core.ComponentId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeSettingsTest {

    @Test
    void shouldTakeAValidConfigurationAsItIs() {
        List<String> problems = new ArrayList<>();
        BridgeSettings s = BridgeSettings.parse(new String[] {"orders, sensors.*"}, 500, " acme/fabric ",
                new String[] {"acme/in/*", "other"}, "guaranteed", 7, 12, " node-1 ", "bridge@uuid", problems);

        assertThat(problems).isEmpty();
        assertThat(s.channels().exact()).containsExactly("orders");
        assertThat(s.channels().matches("sensors.temp")).isTrue();
        assertThat(s.refreshMillis()).isEqualTo(500);
        assertThat(s.prefix()).isEqualTo("acme/fabric");
        assertThat(s.inboundTopics()).containsExactly("acme/in/*", "other");
        assertThat(s.delivery().guarantee()).isEqualTo(DeliveryGuarantee.GUARANTEED);
        assertThat(s.delivery()).isEqualTo(DeliveryOptions.guaranteed(7));
        assertThat(s.source()).isEqualTo(ComponentId.of(12));
        assertThat(s.origin()).isEqualTo("node-1");
    }

    @Test
    void shouldNameEveryRefusedValueAndUseTheDefault() {
        List<String> problems = new ArrayList<>();
        BridgeSettings s = BridgeSettings.parse(new String[] {"x*y"}, 5, "bad prefix", new String[] {"a//b, ok/*"}, "sometimes", 300, 99,
                "", "bridge@uuid", problems);

        assertThat(problems).hasSize(7);
        assertThat(String.join("\n", problems)).contains("'x*y'", "outbound.pattern.refresh.ms=5", "topic.prefix='bad prefix'",
                "'a//b'", "inbound.retries=300", "inbound.delivery='sometimes'", "inbound.source.component");
        assertThat(s.channels().isEmpty()).isTrue();
        assertThat(s.refreshMillis()).isEqualTo(1000);
        assertThat(s.prefix()).isEqualTo(BridgeSettings.DEFAULT_PREFIX);
        assertThat(s.inboundTopics()).containsExactly("ok/*");
        assertThat(s.delivery()).isEqualTo(DeliveryOptions.BEST_EFFORT);
        assertThat(s.source()).isEqualTo(ComponentId.SYSTEM);
        assertThat(s.origin()).isEqualTo("bridge@uuid");
    }

    @Test
    void shouldSayWhenAConverterMustBeMadeAgain() {
        BridgeSettings a = parse("chronofabric", "best-effort", 0, "o");

        assertThat(parse("chronofabric", "best-effort", 0, "o").convertsDifferentlyFrom(a)).isFalse();
        assertThat(parse("acme", "best-effort", 0, "o").convertsDifferentlyFrom(a)).isTrue();
        assertThat(parse("chronofabric", "guaranteed", 0, "o").convertsDifferentlyFrom(a)).isTrue();
        assertThat(parse("chronofabric", "best-effort", 5, "o").convertsDifferentlyFrom(a)).isTrue();
        assertThat(parse("chronofabric", "best-effort", 0, "p").convertsDifferentlyFrom(a)).isTrue();
    }

    private static BridgeSettings parse(String prefix, String delivery, int source, String origin) {
        return BridgeSettings.parse(new String[] {"a"}, 1000, prefix, new String[0], delivery, 3, source, origin, "f", new ArrayList<>());
    }
}
