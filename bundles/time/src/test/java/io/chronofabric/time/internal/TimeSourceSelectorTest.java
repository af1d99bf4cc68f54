package io.chronofabric.time.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeSourceSelectorTest {

    @Test
    void shouldMapSourceNamesToComponents() {
        assertThat(TimeSourceSelector.componentFor("system")).isEqualTo(SystemTimeSource.NAME);
        assertThat(TimeSourceSelector.componentFor(" Simulated ")).isEqualTo(SimulatedTimeSourceImpl.NAME);
    }

    @Test
    void shouldRefuseUnknownSourceNamingKeyAndValue() {
        assertThatThrownBy(() -> TimeSourceSelector.componentFor("atomic"))
                .hasMessageContaining("source=atomic").hasMessageContaining("system or simulated");
    }
}
