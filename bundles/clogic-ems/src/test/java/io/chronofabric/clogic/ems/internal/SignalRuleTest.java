package io.chronofabric.clogic.ems.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.api.clogic.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalRuleTest {

    @Test
    void shouldParseRulesWithKindsAndExtractions() {
        List<SignalRule> rules = SignalRule.parseAll(new String[] {"drpp.patterns/discord=stability:1:-0.1, load=stability:1:-0.01:field:value", ""});
        assertThat(rules).hasSize(2);
        SignalRule discord = rules.get(0);
        assertThat(discord.matches(new PatternEvent(PatternKind.DISCORD, List.of("s"), Map.of(), 0))).isTrue();
        assertThat(discord.matches(new PatternEvent(PatternKind.MOTIF, List.of("s"), Map.of(), 0))).isFalse();
        assertThat(discord.deltaFor("anything")).isEqualTo(-0.1);
        SignalRule load = rules.get(1);
        assertThat(load.deltaFor(new Sample("cpu", 30, 0))).isCloseTo(-0.3, within(1e-12));
        assertThat(load.deltaFor(new Sample("cpu", 500, 0))).as("clamped").isEqualTo(-1.0);
        assertThat(SignalRule.parse("g/ALERT=governance:1:-0.2").matches(new GovernanceDecision("*", "*", GovernanceAction.ALERT, 1, "", 0))).isTrue();
    }

    @Test
    void shouldNameTheBadPartOfARule() {
        assertThatThrownBy(() -> SignalRule.parse("x=goal:2:0.1")).hasMessage("Signal 'x=goal:2:0.1': utility 2.0 is outside [-1, 1]");
        assertThatThrownBy(() -> SignalRule.parse("x=goal:1")).hasMessageContaining("expected GOAL:UTILITY:DELTA");
        assertThatThrownBy(() -> SignalRule.parse("x=goal:1:abc")).hasMessageContaining("likelihood change 'abc' is not a number");
        assertThatThrownBy(() -> SignalRule.parse("x=goal:1:NaN")).hasMessageContaining("is not a finite number");
        assertThatThrownBy(() -> SignalRule.parse("x=goal:1:0.1:bogus")).hasMessageContaining("'bogus' is not one of number, sample, auto, field:NAME");
        assertThatThrownBy(() -> SignalRule.parse("noequals")).hasMessageContaining("expected CHANNEL[/KIND]=GOAL:UTILITY:DELTA");
        assertThatThrownBy(() -> SignalRule.parse("load=g:1:-0.1:number").deltaFor("text")).hasMessageContaining("java.lang.String is not a number");
    }
}
