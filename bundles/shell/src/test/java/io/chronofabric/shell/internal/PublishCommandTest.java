package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PublishCommandTest {

    @Test
    void shouldParseComponentIdsAndHexMasks() {
        assertThat(PublishCommand.parseTargets("1,5, 9")).isEqualTo((1L << 1) | (1L << 5) | (1L << 9));
        assertThat(PublishCommand.parseTargets("0x22")).isEqualTo(0x22L);
        assertThat(PublishCommand.parseTargets("0xffffffffffffffff")).isEqualTo(-1L);
    }

    @Test
    void shouldRefuseBadTargetsNamingThem() {
        assertThatThrownBy(() -> PublishCommand.parseTargets("all")).hasMessageContaining("'all'");
        assertThatThrownBy(() -> PublishCommand.parseTargets("64")).hasMessageContaining("Component id 64");
    }

    @Test
    void shouldAbbreviateLongPayloadsOnOneLine() {
        assertThat(TailCommand.abbreviate("a\nb")).isEqualTo("a b");
        assertThat(TailCommand.abbreviate("x".repeat(300))).hasSize(200).endsWith("...");
    }
}
