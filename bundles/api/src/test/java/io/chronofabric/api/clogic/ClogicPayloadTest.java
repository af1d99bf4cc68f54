package io.chronofabric.api.clogic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClogicPayloadTest {

    public record Reading(String name, double power, int count, Double boxed, String text) {
    }

    @Test
    void shouldTakeNumbersFromNumbersSamplesAndRecordFields() {
        Reading r = new Reading("x", 2.5, 7, 3.0, "t");
        assertThat(ValueExtraction.parse("field:power").extract(r)).isEqualTo(2.5);
        assertThat(ValueExtraction.parse("field:count").extract(r)).isEqualTo(7.0);
        assertThat(ValueExtraction.parse("field:boxed").extract(r)).isEqualTo(3.0);
        assertThat(ValueExtraction.parse("number").extract(42L)).isEqualTo(42.0);
        assertThat(ValueExtraction.parse("sample").extract(new Sample("s", 1.5, 0))).isEqualTo(1.5);
        assertThat(ValueExtraction.parse("").extract(new Sample("s", -1, 0))).isEqualTo(-1.0);
        assertThat(ValueExtraction.parse("AUTO").extract(9)).isEqualTo(9.0);
        assertThat(ValueExtraction.streamName(new Sample("s", 1, 0), "ch")).isEqualTo("s");
        assertThat(ValueExtraction.streamName(1.0, "ch")).isEqualTo("ch");
    }

    @Test
    void shouldNameWhatCannotBeExtracted() {
        assertThatThrownBy(() -> ValueExtraction.number().extract("abc"))
                .hasMessageContaining("java.lang.String is not a number");
        assertThatThrownBy(() -> ValueExtraction.field("power").extract(new Sample("s", 1, 0)))
                .hasMessageContaining("has no public method power()");
        assertThatThrownBy(() -> ValueExtraction.field("text").extract(new Reading("x", 1, 1, 1.0, "t")))
                .hasMessageContaining("returning java.lang.String, not a number");
        assertThatThrownBy(() -> ValueExtraction.number().extract(Double.NaN)).hasMessageContaining("not a finite number");
        assertThatThrownBy(() -> ValueExtraction.parse("fields")).hasMessageContaining("'fields' is not one of");
    }

    @Test
    void shouldParseInputBindingsFromCommaSeparatedConfiguration() {
        List<InputBinding> all = InputBinding.parseAll("drpp.input=sample, sensors=field:power", "", "raw");
        assertThat(all).extracting(InputBinding::toString).containsExactly("drpp.input=sample", "sensors=field:power", "raw=auto");
        assertThatThrownBy(() -> InputBinding.parse("bad channel=number")).hasMessageContaining("Input 'bad channel=number'")
                .hasMessageContaining("whitespace");
    }

    @Test
    void shouldRefuseBadPayloadValuesNamingTheField() {
        assertThatThrownBy(() -> new Sample("s", Double.NaN, 0)).hasMessage("Sample value of stream 's' is NaN: it must be a finite number");
        assertThatThrownBy(() -> AppraisalEvent.of("win", 1.5, 0.1)).hasMessageContaining("Utility of goal 'win' 1.5 is outside [-1.0, 1.0]");
        assertThatThrownBy(() -> AppraisalEvent.of("win", 0.5, Double.NaN)).hasMessageContaining("Likelihood change of goal 'win' is NaN");
        assertThatThrownBy(() -> new Pad(1.2, 0, 0)).hasMessageContaining("Pleasure 1.2 is outside");
        assertThatThrownBy(() -> new PatternEvent(PatternKind.RESONANCE, List.of(), Map.of(), 0)).hasMessageContaining("names no stream");
        assertThatThrownBy(() -> new PatternEvent(PatternKind.RESONANCE, List.of("a"), Map.of("power", Double.NaN), 0))
                .hasMessageContaining("Pattern event value 'power' is NaN");
        assertThatThrownBy(() -> new GovernanceDecision("drpp", "ksg", GovernanceAction.SET_RATE, 0, "", 0))
                .hasMessageContaining("rate factor 0.0");
        assertThat(new GovernanceDecision("*", "*", GovernanceAction.DISABLE, 0, "overload", 0).isFor("drpp")).isTrue();
        assertThat(Pad.clamped(2, -3, 0.5)).isEqualTo(new Pad(1, -1, 0.5));
        assertThat(new Pad(0.5, 0.4, 0.3).octant()).isEqualTo("exuberant");
        assertThat(new Pad(-0.5, 0.4, -0.3).octant()).isEqualTo("anxious");
    }
}
