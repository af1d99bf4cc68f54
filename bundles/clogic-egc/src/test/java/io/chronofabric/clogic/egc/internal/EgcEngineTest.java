package io.chronofabric.clogic.egc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EgcEngineTest {

    @Test
    void shouldDecideOnViolationAndRecoveryByRule() {
        EgcEngine e = new EgcEngine();
        e.configure(Map.of("lat", "historically[0:2](latency <= 10)"), 1.0,
                Rule.parseAll(new String[] {"lat:violated=drpp/*:SET_RATE:0.5, lat:recovered=drpp/*:SET_RATE:1"}), 10);
        assertThat(e.tick(1)).isEmpty();
        assertThat(e.specs().get(0).status()).isEqualTo("waiting for signals latency");
        double[] lat = {5, 6, 12, 7, 8, 9, 9};
        int violatedAt = -1;
        int recoveredAt = -1;
        for (int i = 0; i < lat.length; i++) {
            e.offer("latency", lat[i]);
            for (EgcEngine.DecisionRecord d : e.tick(100 + i)) {
                assertThat(d.decision().module()).isEqualTo("drpp");
                assertThat(d.decision().action()).isEqualTo(GovernanceAction.SET_RATE);
                assertThat(d.decision().reason()).contains("spec 'lat'").contains("robustness").contains("rule lat:");
                assertThat(d.decision().spec()).isEqualTo("lat");
                assertThat(d.decision().hasSpec()).isTrue();
                assertThat(d.decision().robustness()).isEqualTo(d.robustness());
                if (d.violation()) {
                    violatedAt = i;
                    assertThat(d.robustness()).isEqualTo(-2);
                    assertThat(d.decision().value()).isEqualTo(0.5);
                    assertThat(d.decision().rule()).isEqualTo("lat:violated=drpp/*:SET_RATE:0.5");
                } else {
                    recoveredAt = i;
                    assertThat(d.robustness()).isEqualTo(1);
                    assertThat(d.decision().value()).isEqualTo(1);
                    assertThat(d.decision().rule()).isEqualTo("lat:recovered=drpp/*:SET_RATE:1");
                }
            }
        }
        assertThat(violatedAt).isEqualTo(2);
        assertThat(recoveredAt).isEqualTo(5);
        assertThat(e.decisions()).hasSize(2);
        assertThat(e.specs().get(0).violations()).isEqualTo(1);
    }

    @Test
    void shouldAlertEveryModuleWithoutARuleAndWaitForTheDelay() {
        EgcEngine e = new EgcEngine();
        e.configure(Map.of("soon", "eventually[0:2](x > 0)"), 1.0, List.of(), 10);
        double[] x = {-1, -1, -1, -1, 1};
        List<EgcEngine.DecisionRecord> all = new java.util.ArrayList<>();
        for (double v : x) {
            e.offer("x", v);
            all.addAll(e.tick(0));
        }
        // robustness at sample 0 is known at tick 2 (-1 < 0: violated); sample 2 sees the 1 at sample 4: recovered
        assertThat(all).extracting(EgcEngine.DecisionRecord::step).containsExactly(0L, 2L);
        assertThat(all.get(0).decision().module()).isEqualTo("*");
        assertThat(all.get(0).decision().action()).isEqualTo(GovernanceAction.ALERT);
        assertThat(all.get(0).decision().value()).isEqualTo(0.5);
        assertThat(all.get(1).decision().value()).isZero();
        assertThat(all.get(0).decision().spec()).isEqualTo("soon");
        assertThat(all.get(0).decision().robustness()).isEqualTo(-1);
        assertThat(all.get(0).decision().rule()).isEqualTo("soon:violated=*/*:ALERT (default)");
        assertThat(all.get(1).decision().robustness()).isEqualTo(1);
        assertThat(all.get(1).decision().rule()).isEqualTo("soon:recovered=*/*:ALERT (default)");
    }

    @Test
    void shouldNameTheSpecInADecisionWithoutWhitespace() {
        GovernanceDecision d = Rule.parse("my spec:violated=*/*:ALERT").decide(Double.NEGATIVE_INFINITY, 3, 5);
        assertThat(d.spec()).isEqualTo("my_spec");
        assertThat(d.robustness()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(d.value()).isEqualTo(1);
        assertThat(Rule.specField("lat")).isSameAs("lat");
    }

    @Test
    void shouldRefuseBadConfiguration() {
        EgcEngine e = new EgcEngine();
        assertThatThrownBy(() -> e.configure(Map.of("a", "always(x > 0)"), 1.0, List.of(), 10))
                .hasMessageStartingWith("spec.a: online monitoring refused");
        assertThatThrownBy(() -> e.configure(Map.of("a", "x >"), 1.0, List.of(), 10)).hasMessageStartingWith("spec.a: line 1, column 4");
        assertThatThrownBy(() -> e.configure(Map.of("a", "x > 0"), 1.0, Rule.parseAll(new String[] {"b:violated=*/*:ALERT"}), 10))
                .hasMessageContaining("names spec 'b', which is not configured");
        assertThatThrownBy(() -> Rule.parse("a:broken=*:ALERT")).hasMessageContaining("'broken' is not violated or recovered");
        assertThatThrownBy(() -> Rule.parse("a:violated=drpp:SET_RATE")).hasMessageContaining("SET_RATE needs a rate factor");
        assertThatThrownBy(() -> Rule.parse("a:violated=drpp:STOP")).hasMessageContaining("'STOP' is not ENABLE, DISABLE, SET_RATE or ALERT");
    }

    @Test
    void shouldKeepTheLastSamplesOfEverySignalForMining() {
        EgcEngine e = new EgcEngine();
        e.configure(Map.of("t", "temp <= 100"), 1.0, List.of(), 10, 4);
        for (double v : new double[] {1, 5, 3, 9, 2, 4}) {
            e.offer("temp", v);
            e.tick(0);
        }
        assertThat(e.history("temp")).containsExactly(3, 9, 2, 4);
        assertThat(io.chronofabric.clogic.egc.internal.stl.Miner.mine("always(temp <= c)", "temp", e.history("temp"), 0, "c").tightest())
                .isEqualTo(9);
        assertThatThrownBy(() -> e.history("nope")).hasMessageContaining("no samples of signal 'nope' yet");
    }
}
