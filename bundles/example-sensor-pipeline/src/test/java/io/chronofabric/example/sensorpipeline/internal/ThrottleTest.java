package io.chronofabric.example.sensorpipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    /** An ALERT as EGC's default rule writes it (Rule.decide in clogic-egc): spec, robustness and rule as fields. */
    private static GovernanceDecision alert(String module, String spec, boolean violated, double severity) {
        String rule = spec + ":" + (violated ? "violated" : "recovered") + "=*/*:ALERT (default)";
        String reason = "spec '" + spec + "' " + (violated ? "violated" : "recovered") + ": robustness -1.5 at sample 12 (rule " + rule + ")";
        return new GovernanceDecision(module, "*", GovernanceAction.ALERT, severity, reason, 1, spec, -1.5, rule);
    }

    /** The same ALERT from a producer built against API clogic 1.1.0: the spec only in the reason. */
    private static GovernanceDecision legacyAlert(String spec, boolean violated, double severity) {
        String reason = "spec '" + spec + "' " + (violated ? "violated" : "recovered") + ": robustness -1.5 at sample 12 (rule x)";
        return new GovernanceDecision("*", "*", GovernanceAction.ALERT, severity, reason, 1);
    }

    private final Throttle throttle = new Throttle("sensorpipeline", Set.of("sensor_bounds"), 0.25);

    @Test
    void shouldSlowDownWhileAWatchedSpecAlertsAndComeBackOnItsRecovery() {
        assertThat(throttle.factor()).isEqualTo(1.0);

        assertThat(throttle.apply(alert("*", "sensor_bounds", true, 0.6))).isTrue();
        assertThat(throttle.factor()).isEqualTo(0.25);
        assertThat(throttle.alerting()).containsExactly("sensor_bounds");
        assertThat(throttle.lastDecision()).contains("ALERT 0.6", "spec 'sensor_bounds' violated");

        assertThat(throttle.apply(alert("*", "sensor_bounds", false, 0))).isTrue();
        assertThat(throttle.factor()).isEqualTo(1.0);
        assertThat(throttle.throttled()).isFalse();
    }

    @Test
    void shouldIgnoreOtherSpecsAndOtherModules() {
        assertThat(throttle.apply(alert("*", "bus_latency", true, 0.9))).isFalse();
        assertThat(throttle.apply(alert("drpp", "sensor_bounds", true, 0.9))).isFalse();
        assertThat(throttle.factor()).isEqualTo(1.0);

        assertThat(throttle.apply(alert("sensorpipeline", "sensor_bounds", true, 0.9))).isTrue();
        assertThat(throttle.factor()).isEqualTo(0.25);
    }

    @Test
    void shouldFollowEverySpecWhenNoneIsWatched() {
        Throttle any = new Throttle("sensorpipeline", Set.of(), 0.5);
        any.apply(alert("*", "bus_latency", true, 0.9));
        any.apply(alert("*", "sensor_bounds", true, 0.9));
        any.apply(alert("*", "bus_latency", false, 0));

        assertThat(any.alerting()).containsExactly("sensor_bounds");
        assertThat(any.factor()).isEqualTo(0.5);
    }

    @Test
    void shouldMultiplyARateFactorSetForTheModule() {
        throttle.apply(new GovernanceDecision("sensorpipeline", "*", GovernanceAction.SET_RATE, 0.5, "spec 'x' violated", 1));
        assertThat(throttle.factor()).isEqualTo(0.5);
        throttle.apply(alert("*", "sensor_bounds", true, 0.5));
        assertThat(throttle.factor()).isEqualTo(0.125);
        assertThat(throttle.apply(new GovernanceDecision("sensorpipeline", "*", GovernanceAction.DISABLE, 0, "off", 1))).isFalse();
    }

    @Test
    void shouldKeepAnAlertAcrossAReconfiguration() {
        throttle.apply(alert("*", "sensor_bounds", true, 0.5));

        Throttle next = throttle.reconfigured("sensorpipeline", Set.of("sensor_bounds"), 0.1);
        assertThat(next.factor()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(throttle.reconfigured("sensorpipeline", Set.of("other"), 0.1).throttled()).isFalse();
    }

    @Test
    void shouldTakeTheSpecFromTheDecisionsFieldBeforeItsReason() {
        // the field wins over a reason that names another spec (a reason is for people, not parsed when the field is there)
        GovernanceDecision d = new GovernanceDecision("*", "*", GovernanceAction.ALERT, 0.7, "spec 'other' violated", 1, "sensor_bounds",
                -0.3, "sensor_bounds:violated=*/*:ALERT");
        assertThat(Throttle.specOf(d)).isEqualTo("sensor_bounds");
        assertThat(throttle.apply(d)).isTrue();
        assertThat(throttle.alerting()).containsExactly("sensor_bounds");
        // a field naming an unwatched spec is ignored even when the reason names a watched one
        Throttle fresh = new Throttle("sensorpipeline", Set.of("sensor_bounds"), 0.25);
        assertThat(fresh.apply(new GovernanceDecision("*", "*", GovernanceAction.ALERT, 0.7, "spec 'sensor_bounds' violated", 1, "bus_latency",
                -0.3, "r"))).isFalse();
    }

    @Test
    void shouldFallBackToTheReasonWhenTheDecisionNamesNoSpec() {
        assertThat(legacyAlert("sensor_bounds", true, 0.5).spec()).isEmpty();
        assertThat(throttle.apply(legacyAlert("sensor_bounds", true, 0.5))).isTrue();
        assertThat(throttle.alerting()).containsExactly("sensor_bounds");
        assertThat(throttle.apply(legacyAlert("sensor_bounds", false, 0))).isTrue();
        assertThat(throttle.throttled()).isFalse();
        assertThat(Throttle.specOf(new GovernanceDecision("*", "*", GovernanceAction.ALERT, 0.5, "overload", 1))).isNull();
    }

    @Test
    void shouldReadTheSpecNameFromTheReason() {
        assertThat(Throttle.specOf("spec 'sensor_bounds' violated: robustness -0.2 at sample 3 (rule r)")).isEqualTo("sensor_bounds");
        assertThat(Throttle.specOf("overload")).isNull();
    }
}
