package io.chronofabric.clogic.egc.internal.stl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ParserTest {

    @Test
    void shouldNameLineColumnAndExpectationOnASyntaxError() {
        assertThatThrownBy(() -> Spec.parse("input float a\nout = always[0:2] (a >= )"))
                .isInstanceOf(StlSyntaxException.class)
                .hasMessage("line 2, column 25: expected a number, a signal name, '(' or an operator, found ')'")
                .satisfies(e -> {
                    assertThat(((StlSyntaxException) e).line()).isEqualTo(2);
                    assertThat(((StlSyntaxException) e).column()).isEqualTo(25);
                });
        assertThatThrownBy(() -> Spec.parse("eventually[1 2](a)")).hasMessage("line 1, column 14: expected ':' or ',', found '2'");
        assertThatThrownBy(() -> Spec.parse("(a > 1")).hasMessage("line 1, column 7: expected ')', found end of input");
        assertThatThrownBy(() -> Spec.parse("a > 1 b")).hasMessageContaining("line 1, column 7: expected an operator, end of line or ';'");
        assertThatThrownBy(() -> Spec.parse("always[0:1 h](a)")).hasMessage("line 1, column 12: expected a time unit s, ms, us or ns, found 'h'");
        assertThatThrownBy(() -> Spec.parse("once[3:1] a")).hasMessageContaining("lower bound above the upper");
        assertThatThrownBy(() -> Spec.parse("a @ b")).hasMessage("line 1, column 3: unexpected character '@'");
    }

    @Test
    void shouldConvertIntervalUnitsWithThePeriod() {
        Spec spec = Spec.parse("always[10ms:1s](x > 0)", 0.01);
        assertThat(spec.formula()).isEqualTo(new Node.Temporal(Node.TOp.ALWAYS, 1, 100, new Node.Binary(Node.BOp.GT, new Node.Var("x"), new Node.Num(0))));
        assertThat(Spec.parse("eventually[0,500us] x", 1e-4).horizon()).isEqualTo(5);
        assertThat(Spec.parse("eventually[0:2000ns] x", 1e-6).horizon()).isEqualTo(2);
        assertThatThrownBy(() -> Spec.parse("always[0:15ms](x > 0)", 0.01)).hasMessageContaining("not a whole non-negative number of samples");
    }

    @Test
    void shouldReadDeclarationsConstantsAndAssignments() {
        Spec spec = Spec.parse("""
                specification latency_ok
                # comment
                input float lat, load
                const float limit = 5
                output float out
                tmp = lat <= limit   // a comment too
                out = always[0:2](tmp or load < 0.5)
                """);
        assertThat(spec.inputs()).containsExactly("lat", "load");
        assertThat(spec.output()).isEqualTo("out");
        assertThat(spec.constants()).containsEntry("limit", 5.0);
        double[] r = Offline.evaluate(spec, Map.of("lat", new double[] {1, 7, 2, 3}, "load", new double[] {0.9, 0.2, 0.9, 0.9}));
        assertThat(r).containsExactly(0.3, 0.3, 2, 2);
    }

    @Test
    void shouldRefuseUnknownSignalsInDeclaredSpecs() {
        assertThatThrownBy(() -> Spec.parse("input float a\nout = a + c"))
                .hasMessage("line 2, column 11: unknown signal 'c': not declared as input, const or assigned before");
        assertThatThrownBy(() -> Spec.parse("input float a\noutput float o\nx = a")).hasMessageContaining("output 'o' is declared but never assigned");
    }

    @Test
    void shouldRefuseBadSignals() {
        Spec spec = Spec.parse("a until b");
        assertThatThrownBy(() -> Offline.evaluate(spec, Map.of("a", new double[] {1, 2}, "b", new double[] {1})))
                .hasMessageContaining("signals of different lengths");
        assertThatThrownBy(() -> Offline.evaluate(spec, Map.of("a", new double[] {1, Double.NaN}, "b", new double[] {1, 2})))
                .hasMessage("signal 'a' sample 1 is NaN");
        assertThatThrownBy(() -> Offline.evaluate(spec, Map.of("a", new double[] {1}, "c", new double[] {1})))
                .hasMessage("unknown signal 'c': the specification's inputs are [a, b]");
        assertThatThrownBy(() -> Offline.evaluate(spec, Map.of("a", new double[] {1})))
                .hasMessage("no samples for input 'b'");
        OnlineMonitor m = new OnlineMonitor(Spec.parse("once[0:3](a > b)"));
        assertThatThrownBy(() -> m.update(1, Double.NaN)).hasMessage("sample 0 of input 'b' is NaN");
        assertThatThrownBy(() -> m.update(1)).hasMessage("expected 2 input values [a, b], got 1");
    }

    @Test
    void shouldRefuseAnUnboundedFutureOperatorOnline() {
        assertThatThrownBy(() -> new OnlineMonitor(Spec.parse("historically[0:5](a > 0) and eventually(b > 0)")))
                .hasMessageStartingWith("online monitoring refused: 'eventually((b gt 0.0))' is a future operator without an upper bound");
        assertThatThrownBy(() -> new OnlineMonitor(Spec.parse("a until b"))).hasMessageContaining("future operator without an upper bound");
        assertThat(new OnlineMonitor(Spec.parse("a since b and once(a > 1)")).delay()).isZero();
        assertThat(new OnlineMonitor(Spec.parse("always[0:3](next a > 0) or a until[1:2] b")).delay()).isEqualTo(4);
    }

    @Test
    void shouldKeepOnlineCostFlatInTheBound() {
        // not a timing test: the window keeps at most bound+1 candidates and the delay line bound+1 values
        OnlineMonitor m = new OnlineMonitor(Spec.parse("always[0:1000](x <= 10)"));
        for (int i = 0; i < 5000; i++) {
            assertThat(m.update(i % 7)).isEqualTo(i < 1000 ? 10 - Math.min(6, i) : 4);
        }
    }
}
