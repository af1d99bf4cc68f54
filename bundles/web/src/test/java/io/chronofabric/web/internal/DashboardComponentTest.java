package io.chronofabric.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardComponentTest {

    @Test
    void shouldAcceptTheDefaults() {
        WebConfig cfg = Fakes.config(Map.of());
        assertThat(DashboardComponent.checked(cfg)).isSameAs(cfg);
    }

    @Test
    void shouldNameTheKeyOutOfRange() {
        assertThatThrownBy(() -> DashboardComponent.checked(Fakes.config(Map.of("max_subscriptions", 0))))
                .hasMessageContaining("max.subscriptions").hasMessageContaining("got 0");
        assertThatThrownBy(() -> DashboardComponent.checked(Fakes.config(Map.of("max_publish", -1))))
                .hasMessageContaining("max.publish");
        assertThatThrownBy(() -> DashboardComponent.checked(Fakes.config(Map.of("realm", " "))))
                .hasMessageContaining("realm and write.role");
    }
}
