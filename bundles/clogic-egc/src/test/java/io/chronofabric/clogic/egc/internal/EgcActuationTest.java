package io.chronofabric.clogic.egc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.ChannelThrottle;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.QuantumOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** THROTTLE and ORACLE_HINT rules: applied through the services, undone on recovery, and honest when they could not be. */
class EgcActuationTest {

    /** A ChannelThrottle in memory (the bus's own is tested in the bus bundle). */
    static final class FakeThrottle implements ChannelThrottle {
        final Map<String, ChannelLimit> limits = new TreeMap<>();
        RuntimeException failure;

        @Override
        public ChannelLimit limit(String channel, double rate, int burst, String reason) {
            if (failure != null) {
                throw failure;
            }
            ChannelLimit l = new ChannelLimit(channel, rate, burst, reason, 3, 1, 0, 7);
            limits.put(channel, l);
            return l;
        }

        @Override
        public Optional<ChannelLimit> clear(String channel) {
            return Optional.ofNullable(limits.remove(channel));
        }

        @Override
        public Optional<ChannelLimit> limitOf(String channel) {
            return Optional.ofNullable(limits.get(channel));
        }

        @Override
        public List<ChannelLimit> limits() {
            return new ArrayList<>(limits.values());
        }
    }

    static final class FakeOracle implements TimeOracle {
        HintPin pin;
        long pinnedNanos = -1;

        @Override
        public OptimizationHint currentHint() {
            return pin == null ? OptimizationHint.BALANCED : pin.hint();
        }

        @Override
        public String explanation() {
            return "fake";
        }

        @Override
        public QuantumOffset offsetFor(String taskName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HintPin pin(OptimizationHint hint, long durationNanos, String reason) {
            pinnedNanos = durationNanos;
            pin = new HintPin(hint, reason, durationNanos == 0 ? HintPin.UNTIL_UNPINNED : durationNanos);
            return pin;
        }

        @Override
        public Optional<HintPin> unpin() {
            Optional<HintPin> p = Optional.ofNullable(pin);
            pin = null;
            return p;
        }

        @Override
        public Optional<HintPin> pinned() {
            return Optional.ofNullable(pin);
        }
    }

    private final FakeThrottle throttle = new FakeThrottle();
    private final FakeOracle oracle = new FakeOracle();

    /** Every matching rule decides (arbitration all); under weighted majority the rules for one event compete. */
    private EgcEngine engine(String rules, boolean withServices) {
        EgcEngine e = new EgcEngine();
        e.configure(Map.of("lat", "historically[0:2](latency <= 10)"), 1.0, Rule.parseAll(new String[] {rules}), 10);
        e.arbitration(EgcEngine.Arbitration.ALL, 10, 0.5, 0);
        e.actuator(withServices ? new Actuator(() -> throttle, () -> oracle) : new Actuator(() -> null, () -> null));
        return e;
    }

    /** Feeds latencies 5, 6, 12 (violated at sample 2, robustness -2), 7, 8, 9 (recovered at sample 5, robustness 1). */
    private static List<List<EgcEngine.DecisionRecord>> run(EgcEngine e) {
        double[] lat = {5, 6, 12, 7, 8, 9};
        List<List<EgcEngine.DecisionRecord>> out = new ArrayList<>();
        for (int i = 0; i < lat.length; i++) {
            e.offer("latency", lat[i]);
            out.add(e.tick(100 + i));
        }
        return out;
    }

    @Test
    void shouldThrottleAChannelOnViolationAndLiftItOnRecovery() {
        String rule = "lat:violated=bus/sensor.raw:THROTTLE:50:5";
        EgcEngine e = engine(rule, true);
        double[] lat = {5, 6, 12};
        List<EgcEngine.DecisionRecord> violated = List.of();
        for (double v : lat) {
            e.offer("latency", v);
            violated = e.tick(7);
        }
        assertThat(violated).hasSize(1);
        GovernanceDecision d = violated.get(0).decision();
        assertThat(d.module()).isEqualTo("bus");
        assertThat(d.analysis()).isEqualTo("sensor.raw");
        assertThat(d.action()).isEqualTo(GovernanceAction.THROTTLE);
        assertThat(d.value()).isEqualTo(50);
        assertThat(d.spec()).isEqualTo("lat");
        assertThat(d.robustness()).isEqualTo(-2);
        assertThat(d.rule()).isEqualTo(rule);
        assertThat(d.reason()).isEqualTo("spec 'lat' violated: robustness -2 at sample 2 (rule " + rule + "); applied: channel sensor.raw"
                + " limited to 50 packets/s, burst 5 (was unlimited)");
        assertThat(throttle.limits.get("sensor.raw").reason()).isEqualTo("egc spec=lat rule=" + rule);
        assertThat(throttle.limits.get("sensor.raw").burst()).isEqualTo(5);

        List<EgcEngine.DecisionRecord> recovered = List.of();
        for (double v : new double[] {7, 8, 9}) {
            e.offer("latency", v);
            List<EgcEngine.DecisionRecord> r = e.tick(9);
            if (!r.isEmpty()) {
                recovered = r;
            }
        }
        // the default recovery alert, then the undo of the throttle
        assertThat(recovered).extracting(r -> r.decision().action()).containsExactly(GovernanceAction.ALERT, GovernanceAction.THROTTLE);
        GovernanceDecision undo = recovered.get(1).decision();
        assertThat(undo.module()).isEqualTo("bus");
        assertThat(undo.analysis()).isEqualTo("sensor.raw");
        assertThat(undo.value()).isZero();
        assertThat(undo.spec()).isEqualTo("lat");
        assertThat(undo.robustness()).isEqualTo(1);
        assertThat(undo.rule()).isEqualTo(rule);
        assertThat(undo.reason()).isEqualTo("spec 'lat' recovered: robustness 1 at sample 5 (undoes rule " + rule + "); applied: lifted the"
                + " limit of channel sensor.raw (50 packets/s, burst 5; 3 admitted, 1 delayed, 7 refused)");
        assertThat(throttle.limits).isEmpty();
        assertThat(e.decisions()).hasSize(3);
        assertThat(Actuator.outcomeOf(undo)).isEqualTo("applied: lifted the limit of channel sensor.raw (50 packets/s, burst 5; 3 admitted, 1 delayed,"
                + " 7 refused)");
        assertThat(Actuator.outcomeOf(recovered.get(0).decision())).as("an ALERT says nothing about actuation").isEmpty();
    }

    @Test
    void shouldUseOneSecondOfPacketsAsTheDefaultBurst() {
        run(engine("lat:violated=bus/sensor.raw:THROTTLE:12.5", true));
        assertThat(throttle.limits).isEmpty(); // lifted again at recovery
        EgcEngine e = engine("lat:violated=bus/sensor.raw:THROTTLE:12.5", true);
        for (double v : new double[] {5, 6, 12}) {
            e.offer("latency", v);
            e.tick(1);
        }
        assertThat(throttle.limits.get("sensor.raw").burst()).isEqualTo(13);
        assertThat(throttle.limits.get("sensor.raw").packetsPerSecond()).isEqualTo(12.5);
    }

    @Test
    void shouldPinTheOracleOnViolationAndUnpinOnRecovery() {
        String rule = "lat:violated=oracle/minimize_latency:ORACLE_HINT:30";
        List<List<EgcEngine.DecisionRecord>> ticks = run(engine(rule, true));
        GovernanceDecision pin = ticks.get(2).get(0).decision();
        assertThat(pin.module()).isEqualTo("oracle");
        assertThat(pin.analysis()).isEqualTo("MINIMIZE_LATENCY");
        assertThat(pin.action()).isEqualTo(GovernanceAction.ORACLE_HINT);
        assertThat(pin.value()).isEqualTo(30);
        assertThat(pin.reason()).endsWith("; applied: oracle hint pinned to MINIMIZE_LATENCY for 30 s");
        assertThat(oracle.pinnedNanos).isEqualTo(30_000_000_000L);
        List<EgcEngine.DecisionRecord> recovered = ticks.get(5);
        assertThat(recovered).extracting(r -> r.decision().action()).containsExactly(GovernanceAction.ALERT, GovernanceAction.ORACLE_HINT);
        GovernanceDecision unpin = recovered.get(1).decision();
        assertThat(unpin.analysis()).isEqualTo(GovernanceDecision.ALL);
        assertThat(unpin.rule()).isEqualTo(rule);
        assertThat(unpin.reason()).endsWith("(undoes rule " + rule + "); applied: unpinned the oracle (was MINIMIZE_LATENCY)");
        assertThat(oracle.pin).isNull();
    }

    @Test
    void shouldPinUntilRecoveryWithoutSeconds() {
        EgcEngine e = engine("lat:violated=oracle/MAXIMIZE_THROUGHPUT:ORACLE_HINT", true);
        for (double v : new double[] {5, 6, 12}) {
            e.offer("latency", v);
            e.tick(1);
        }
        assertThat(oracle.pinnedNanos).isZero();
        assertThat(e.decisions().get(0).decision().reason()).endsWith("pinned to MAXIMIZE_THROUGHPUT until the spec recovers");
    }

    @Test
    void shouldSayWhyADecisionCouldNotBeAppliedAndStillPublishIt() {
        List<List<EgcEngine.DecisionRecord>> ticks = run(engine("lat:violated=bus/sensor.raw:THROTTLE:50, lat:violated=oracle/BALANCED:ORACLE_HINT:5",
                false));
        assertThat(ticks.get(2)).isNotEmpty();
        for (EgcEngine.DecisionRecord r : ticks.get(2)) {
            assertThat(r.decision().reason()).contains("; not applied: no "
                    + (r.decision().action() == GovernanceAction.THROTTLE ? "ChannelThrottle service" : "TimeOracle service"));
        }
        assertThat(ticks.get(5)).extracting(r -> r.decision().action()).containsExactly(GovernanceAction.ALERT);
    }

    @Test
    void shouldReportAServiceThatRefusedTheLimit() {
        throttle.failure = new IllegalArgumentException("Rate limit of channel 'sensor.raw': burst 0 is outside 1..1000000");
        List<List<EgcEngine.DecisionRecord>> ticks = run(engine("lat:violated=bus/sensor.raw:THROTTLE:50", true));
        assertThat(ticks.get(2).get(0).decision().reason())
                .endsWith("; not applied: Rate limit of channel 'sensor.raw': burst 0 is outside 1..1000000");
    }

    @Test
    void shouldLeaveALimitThatSomeoneElseSetSince() {
        EgcEngine e = engine("lat:violated=bus/sensor.raw:THROTTLE:50", true);
        for (double v : new double[] {5, 6, 12}) {
            e.offer("latency", v);
            e.tick(1);
        }
        throttle.limit("sensor.raw", 5, 1, "operator: maintenance");
        throttle.limit("other", 5, 1, "egc spec=latency rule=x"); // another spec whose name starts alike
        List<EgcEngine.DecisionRecord> recovered = new ArrayList<>();
        for (double v : new double[] {7, 8, 9}) {
            e.offer("latency", v);
            recovered.addAll(e.tick(2));
        }
        assertThat(recovered).extracting(r -> r.decision().action()).containsExactly(GovernanceAction.ALERT);
        assertThat(throttle.limits).containsOnlyKeys("sensor.raw", "other");
        assertThat(throttle.limits.get("sensor.raw").reason()).isEqualTo("operator: maintenance");
    }

    @Test
    void shouldLiftWhatTheSpecSetAlsoAfterARestart() {
        throttle.limit("a", 10, 10, Actuator.tag("lat", "lat:violated=bus/a:THROTTLE:10"));
        oracle.pin(OptimizationHint.MINIMIZE_LATENCY, 0, Actuator.tag("lat", "lat:violated=oracle/MINIMIZE_LATENCY:ORACLE_HINT"));
        List<GovernanceDecision> undone = new Actuator(() -> throttle, () -> oracle).undo("lat", 0.5, 42, 1);
        assertThat(undone).extracting(GovernanceDecision::action).containsExactly(GovernanceAction.THROTTLE, GovernanceAction.ORACLE_HINT);
        assertThat(undone).extracting(GovernanceDecision::rule)
                .containsExactly("lat:violated=bus/a:THROTTLE:10", "lat:violated=oracle/MINIMIZE_LATENCY:ORACLE_HINT");
        assertThat(throttle.limits).isEmpty();
        assertThat(oracle.pin).isNull();
    }

    @Test
    void shouldLiftWhatASpecSetWhenAReconfigurationRestartsItSatisfied() {
        String rule = "lat:violated=bus/sensor.raw:THROTTLE:50";
        EgcEngine e = engine(rule + ", lat:violated=oracle/MINIMIZE_LATENCY:ORACLE_HINT", true);
        for (double v : new double[] {5, 6, 12}) {
            e.offer("latency", v);
            e.tick(1);
        }
        java.util.Properties violated = e.snapshot();
        assertThat(e.sweepActuations(2)).as("still violated: nothing to lift").isEmpty();
        throttle.limit("manual", 1, 1, "operator"); // not EGC's
        e.configure(Map.of("other", "x <= 1"), 1.0, List.of(), 10);
        List<EgcEngine.DecisionRecord> lifted = e.sweepActuations(3);
        assertThat(lifted).extracting(r -> r.decision().action()).containsExactly(GovernanceAction.THROTTLE, GovernanceAction.ORACLE_HINT);
        GovernanceDecision d = lifted.get(0).decision();
        assertThat(d.spec()).isEqualTo("lat");
        assertThat(d.rule()).isEqualTo(rule);
        assertThat(d.robustness()).isNaN();
        assertThat(d.reason()).startsWith("spec 'lat' is not violated as now configured (removed, or reconfigured: its monitor restarted"
                + " satisfied) (undoes rule " + rule + "); applied: lifted the limit of channel sensor.raw");
        assertThat(throttle.limits).containsOnlyKeys("manual");
        assertThat(oracle.pin).isNull();

        // a restart that restores the spec as violated keeps what it set
        EgcEngine again = engine(rule, true);
        again.offer("latency", 12);
        throttle.limit("sensor.raw", 50, 50, Actuator.tag("lat", rule));
        assertThat(again.restore(violated)).containsExactly("lat");
        assertThat(again.sweepActuations(4)).isEmpty();
        assertThat(throttle.limits).containsKey("sensor.raw");
        // with consensus the log decides: no local sweep
        EgcEngine replicated = engine(rule, true);
        replicated.replicated(true, "n1");
        assertThat(replicated.sweepActuations(5)).isEmpty();
        assertThat(throttle.limits).containsKey("sensor.raw");
    }

    @Test
    void shouldApplyExplicitLiftAndUnpinRules() {
        throttle.limit("sensor.raw", 1, 1, "operator");
        oracle.pin(OptimizationHint.MINIMIZE_LATENCY, 0, "operator");
        EgcEngine e = engine("lat:violated=bus/sensor.raw:THROTTLE:0, lat:violated=oracle/*:ORACLE_HINT", true);
        List<EgcEngine.DecisionRecord> violated = new ArrayList<>();
        for (double v : new double[] {5, 6, 12}) {
            e.offer("latency", v);
            violated.addAll(e.tick(1));
        }
        assertThat(violated).extracting(r -> r.decision().reason()).anySatisfy(r -> assertThat(r).contains("applied: lifted the limit of channel sensor.raw"))
                .anySatisfy(r -> assertThat(r).contains("applied: unpinned the oracle (was MINIMIZE_LATENCY)"));
        assertThat(throttle.limits).isEmpty();
        assertThat(oracle.pin).isNull();
    }

    @Test
    void shouldRefuseMalformedActuatingRulesNamingWhatIsWrong() {
        assertThatThrownBy(() -> Rule.parse("lat:violated=bus/x:THROTTLE")).hasMessageContaining("THROTTLE needs a rate in packets/s");
        assertThatThrownBy(() -> Rule.parse("lat:violated=bus/x:THROTTLE:-3")).hasMessageContaining("THROTTLE needs a rate");
        assertThatThrownBy(() -> Rule.parse("lat:violated=drpp/x:THROTTLE:3")).hasMessageContaining("bus/CHANNEL:THROTTLE:RATE[:BURST]");
        assertThatThrownBy(() -> Rule.parse("lat:violated=bus/*:THROTTLE:3")).hasMessageContaining("THROTTLE names a bus channel");
        assertThatThrownBy(() -> Rule.parse("lat:violated=bus/x:THROTTLE:3:0")).hasMessageContaining("burst '0' is not a whole number in 1..1000000");
        assertThatThrownBy(() -> Rule.parse("lat:violated=bus/x:THROTTLE:3:2.5")).hasMessageContaining("burst '2.5'");
        assertThatThrownBy(() -> Rule.parse("lat:violated=bus/x:SET_RATE:3:2")).hasMessageContaining("expected MODULE/ANALYSIS:ACTION[:VALUE]");
        assertThatThrownBy(() -> Rule.parse("lat:violated=oracle/FAST:ORACLE_HINT")).hasMessageContaining("hint 'FAST' is not one of MINIMIZE_LATENCY");
        assertThatThrownBy(() -> Rule.parse("lat:violated=*/MINIMIZE_LATENCY:ORACLE_HINT")).hasMessageContaining("oracle/HINT:ORACLE_HINT[:SECONDS]");
        assertThatThrownBy(() -> Rule.parse("lat:violated=oracle/BALANCED:ORACLE_HINT:-1")).hasMessageContaining("seconds must be >= 0");
        assertThatThrownBy(() -> Rule.parse("lat:violated=bus/x:SPEED")).hasMessageContaining("'SPEED' is not ENABLE, DISABLE, SET_RATE or ALERT, nor an action EGC applies itself: THROTTLE, ORACLE_HINT");
        Rule r = Rule.parse("lat:violated=bus/x:THROTTLE:3:7");
        assertThat(r.burst()).isEqualTo(7);
        assertThat(r.value()).isEqualTo(3);
    }
}
