package io.chronofabric.bridge.common.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.Channels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelPatternsTest {

    @Test
    void shouldMatchNamesAndPrefixPatterns() {
        List<String> problems = new ArrayList<>();
        ChannelPatterns p = ChannelPatterns.parse(new String[] {"orders, sensors.*", " "}, problems);

        assertThat(problems).isEmpty();
        assertThat(p.exact()).containsExactly("orders");
        assertThat(p.hasPatterns()).isTrue();
        assertThat(p.matches("orders")).isTrue();
        assertThat(p.matches("orders.eu")).isFalse();
        assertThat(p.matches("sensors.temp")).isTrue();
        assertThat(p.matches("sensorsx")).isFalse();
    }

    @Test
    void shouldKeepTheDeadLetterChannelOutOfPatternsUnlessNamed() {
        List<String> problems = new ArrayList<>();
        assertThat(ChannelPatterns.parse(new String[] {"*"}, problems).matches(Channels.DEAD_LETTER)).isFalse();
        assertThat(ChannelPatterns.parse(new String[] {"*"}, problems).matches("anything")).isTrue();
        assertThat(ChannelPatterns.parse(new String[] {"*", Channels.DEAD_LETTER}, problems).matches(Channels.DEAD_LETTER)).isTrue();
    }

    @Test
    void shouldNameEntriesItRefuses() {
        List<String> problems = new ArrayList<>();
        ChannelPatterns p = ChannelPatterns.parse(new String[] {"a*b", "ok"}, problems);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("'a*b'").contains("may only end");
        assertThat(p.exact()).containsExactly("ok");
        assertThat(p.isEmpty()).isFalse();
    }
}
