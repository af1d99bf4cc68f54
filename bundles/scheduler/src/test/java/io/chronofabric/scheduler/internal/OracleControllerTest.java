package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.time.QuantumOffset;
import org.junit.jupiter.api.Test;

class OracleControllerTest {

    private final OracleController c = new OracleController();

    @Test
    void shouldAskForLowLatencyOnMissesAndLeaveOnlyAfterThreeCalmEvaluations() {
        assertThat(c.evaluate(0.3, 100, 0, -1, 1000)).isEqualTo(OptimizationHint.BALANCED);
        assertThat(c.evaluate(0.3, 100, 5, -1, 1000)).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        assertThat(c.explanation()).contains("5.00%").contains("5 of 100");
        assertThat(c.evaluate(0.3, 100, 0, -1, 1000)).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        assertThat(c.evaluate(0.3, 100, 0, -1, 1000)).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        assertThat(c.evaluate(0.3, 100, 0, -1, 1000)).isEqualTo(OptimizationHint.BALANCED);
    }

    @Test
    void shouldNotFlapBetweenBalancedAndThroughputAroundOneLoad() {
        assertThat(c.evaluate(0.76, 10, 0, -1, 1000)).isEqualTo(OptimizationHint.MAXIMIZE_THROUGHPUT);
        assertThat(c.evaluate(0.70, 10, 0, -1, 1000)).isEqualTo(OptimizationHint.MAXIMIZE_THROUGHPUT);
        assertThat(c.evaluate(0.74, 10, 0, -1, 1000)).isEqualTo(OptimizationHint.MAXIMIZE_THROUGHPUT);
        assertThat(c.evaluate(0.60, 10, 0, -1, 1000)).isEqualTo(OptimizationHint.BALANCED);
        assertThat(c.evaluate(0.70, 10, 0, -1, 1000)).isEqualTo(OptimizationHint.BALANCED);
    }

    @Test
    void shouldReactToBusLatency() {
        assertThat(c.evaluate(0.1, 0, 0, 1300, 1000)).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        // latency between 0.8x and 1.2x target is not calm: stays
        for (int i = 0; i < 5; i++) {
            assertThat(c.evaluate(0.1, 0, 0, 900, 1000)).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        }
    }

    @Test
    void shouldGiveTasksDifferentPhasesOfTheSameOffset() {
        QuantumOffset a = OracleController.offsetFor("sensor-a", 1000, 2);
        QuantumOffset b = OracleController.offsetFor("sensor-b", 1000, 2);
        assertThat(a.amplitudeNanos()).isEqualTo(1000);
        assertThat(a.phaseRadians()).isNotEqualTo(b.phaseRadians());
        assertThat(OracleController.offsetFor("x", 0, 2)).isEqualTo(QuantumOffset.NONE);
        assertThat(OracleController.offsetFor("sensor-a", 1000, 2)).isEqualTo(a);
    }
}
