package io.chronofabric.clogic.egc.internal.stl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** RTAMT's published discrete-time values (its offline unit tests and README online example). */
class RtamtValuesTest {

    private static final double[] A = {100, -1, -2, 5, -1};
    private static final double[] B = {20, -2, 10, 4, -1};

    private static double[] offline(String formula) {
        Spec spec = Spec.parse(formula);
        return Offline.evaluate(spec, PropertiesTest.only(spec, Map.of("a", A, "b", B)));
    }

    @Test
    void shouldReproduceAlways() {
        assertThat(Offline.evaluate(Spec.parse("always(a)"), Map.of("a", A))).containsExactly(-2, -2, -2, -1, -1);
    }

    @Test
    void shouldReproduceEventually() {
        assertThat(Offline.evaluate(Spec.parse("eventually(a)"), Map.of("a", A))).containsExactly(100, 5, 5, 5, -1);
    }

    @Test
    void shouldReproduceUntil() {
        assertThat(offline("a until b")).containsExactly(20, -1, 10, 4, -1);
    }

    @Test
    void shouldReproduceRise() {
        assertThat(Offline.evaluate(Spec.parse("rise(a)"), Map.of("a", A))).containsExactly(100, -100, -2, 2, -5);
    }

    @Test
    void shouldGiveFallAsRiseOfNegation() {
        assertThat(offline("fall(a)")).containsExactly(offline("rise(not a)"));
        assertThat(offline("fall(a)")).containsExactly(-100, 1, -1, -5, 1);
    }

    @Test
    void shouldTakePrevAtStartAsPlusInfinity() {
        // RTAMT's discrete-time prev operation starts from +inf (its docs leave t=0 open); we document and keep that
        assertThat(offline("prev a")).containsExactly(Double.POSITIVE_INFINITY, 100, -1, -2, 5);
        assertThat(offline("next a")).containsExactly(-1, -2, 5, -1, Double.POSITIVE_INFINITY);
    }

    @Test
    void shouldReproduceTheOnlineReadmeExample() {
        Spec spec = Spec.parse("input float a, b\noutput float out\nout = eventually[0,1](a>=b)");
        OnlineMonitor m = new OnlineMonitor(spec);
        assertThat(m.delay()).isEqualTo(1);
        assertThat(m.update(100, 20)).isEqualTo(80);
        assertThat(m.update(-1, 2)).isEqualTo(80);
        assertThat(m.update(-2, -10)).isEqualTo(8);
    }

    @Test
    void shouldComputePastOperators() {
        assertThat(offline("once[1:2] a")).containsExactly(Double.NEGATIVE_INFINITY, 100, 100, -1, 5);
        assertThat(offline("historically a")).containsExactly(100, -1, -2, -2, -2);
        assertThat(offline("a since b")).containsExactly(20, -1, 10, 5, -1);
    }

    @Test
    void shouldComputeArithmeticAndComparisons() {
        assertThat(offline("abs(a - b) + sqrt(4) * pow(2, 3) / exp(0)")).containsExactly(96, 17, 28, 17, 16);
        assertThat(offline("a == b")).containsExactly(-80, -1, -12, -1, -0.0);
        assertThat(offline("a !== b")).containsExactly(80, 1, 12, 1, 0);
        assertThat(offline("a > b implies b < 0")).containsExactly(-20, 2, 12, -1, 1);
    }
}
