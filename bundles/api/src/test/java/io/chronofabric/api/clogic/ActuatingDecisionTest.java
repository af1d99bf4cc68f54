package io.chronofabric.api.clogic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import org.junit.jupiter.api.Test;

/** THROTTLE / ORACLE_HINT decisions (clogic 1.3), ChannelLimit (bus 1.3) and HintPin (scheduler 1.1). */
class ActuatingDecisionTest {

    @Test
    void shouldAcceptAThrottleOrALiftAndRefuseANegativeRate() {
        assertThat(new GovernanceDecision("bus", "sensor.raw", GovernanceAction.THROTTLE, 50, "r", 0).value()).isEqualTo(50);
        assertThat(new GovernanceDecision("bus", "sensor.raw", GovernanceAction.THROTTLE, 0, "lift", 0).value()).isZero();
        assertThatThrownBy(() -> new GovernanceDecision("bus", "sensor.raw", GovernanceAction.THROTTLE, -1, "r", 0))
                .hasMessage("Governance THROTTLE value -1.0 for bus/sensor.raw must be >= 0 (packets per second, 0 = lift)");
    }

    @Test
    void shouldAcceptAnOraclePinAndRefuseNegativeSeconds() {
        assertThat(new GovernanceDecision("oracle", "MINIMIZE_LATENCY", GovernanceAction.ORACLE_HINT, 0, "r", 0).isFor("oracle")).isTrue();
        assertThatThrownBy(() -> new GovernanceDecision("oracle", "BALANCED", GovernanceAction.ORACLE_HINT, -5, "r", 0))
                .hasMessageContaining("must be >= 0 (seconds, 0 = until undone)");
    }

    @Test
    void shouldRefuseAPinWithoutTimeLeft() {
        assertThat(new HintPin(OptimizationHint.BALANCED, "", HintPin.UNTIL_UNPINNED).untilUnpinned()).isTrue();
        assertThat(new HintPin(OptimizationHint.BALANCED, "", 5).untilUnpinned()).isFalse();
        assertThatThrownBy(() -> new HintPin(OptimizationHint.BALANCED, "", 0)).hasMessageContaining("must be > 0 or UNTIL_UNPINNED");
        assertThatThrownBy(() -> new ChannelLimit(null, 1, 1, "", 0, 0, 0, 0)).isInstanceOf(NullPointerException.class);
    }
}
