package io.chronofabric.clogic.egc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.Sample;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EGC joining, re-joining and waiting for a consensus log: what was applied is not applied again, what
 * the cluster has violated is kept (also on a compacted log), a log that cannot be read yet is waited
 * for, nothing is swept locally on a cluster node, and a restarted node gets back the limits in force.
 */
class EgcConsensusRecoveryTest {

    static final long T0 = 1_700_000_000_000_000_000L;
    static final String SET_RATE = "lat:violated=drpp/*:SET_RATE:0.5";
    static final String THROTTLE = "lat:violated=bus/sensor.raw:THROTTLE:50";

    @TempDir
    Path dir;

    private final Stubs.Clock clock = new Stubs.Clock(T0);

    private EgcComponent start(Path state, Stubs.Context ctx, List<PhasePacket<?>> published, EgcActuationTest.FakeThrottle throttle,
            FakeConsensus consensus, String rule, Map<String, Object> overrides) {
        Map<String, Object> o = new HashMap<>(overrides);
        o.put("period_ms", 3_600_000L);
        o.put("snapshot_interval_s", 86_400L);
        o.put("state_dir", state.toString());
        o.put("spec_dir", "-");
        o.put("rules", new String[] {rule});
        EgcComponent c = new EgcComponent();
        c.bindTime(clock);
        c.bindBus(Stubs.bus(published));
        if (throttle != null) {
            c.bindThrottle(throttle);
        }
        if (consensus != null) {
            c.bindConsensus(consensus); // DS binds before activation
        }
        c.activate(ctx.context, Stubs.config(o), Map.of("spec.lat", "lat <= 10"));
        return c;
    }

    /** One sample of lat, three ticks, each followed by the log's commit. */
    private static void feed(EgcComponent c, Stubs.Context ctx, FakeConsensus.Log log, double lat) throws Exception {
        ctx.deliver("egc.input", new Sample("lat", lat, T0), T0);
        for (int i = 0; i < 3; i++) {
            c.tick();
            log.commitAll();
        }
    }

    @Test
    void shouldNotApplyAgainWhatItAppliedWhenTheConsensusServiceIsBoundAgainWhileItRecovers() throws Exception {
        FakeConsensus.Log log = new FakeConsensus.Log("node-a");
        List<PhasePacket<?>> pub = Stubs.recording();
        Stubs.Context ctx = new Stubs.Context(dir.resolve("a"));
        EgcComponent a = start(dir.resolve("sa"), ctx, pub, null, null, SET_RATE, Map.of());
        a.bindConsensus(new FakeConsensus(log, "node-a"));
        feed(a, ctx, log, 20);
        feed(a, ctx, log, 1);
        feed(a, ctx, log, 20);
        assertThat(pub).hasSize(3);
        double applied = a.metrics().get("committed_applied");
        long index = a.engine.logIndex();
        Map<String, Double> weights = a.engine.weights();
        assertThat(index).isEqualTo(log.committed.size() - 1);

        // the consensus bundle restarts: its new service says commit index -1 while its log recovers
        FakeConsensus again = new FakeConsensus(log, "node-a");
        again.recovering = true;
        a.bindConsensus(again);
        assertThat(a.connectedForTest()).isSameAs(again);
        assertThat(pub).as("nothing published again").hasSize(3);
        assertThat(a.metrics().get("committed_applied")).isEqualTo(applied);
        assertThat(a.metrics().get("replayed")).isEqualTo((double) (index + 1));
        assertThat(a.engine.weights()).as("no second weight penalty").isEqualTo(weights);

        // still violated in the cluster's view: the recovery is applied live, once
        feed(a, ctx, log, 1);
        assertThat(pub).hasSize(4);
        assertThat(((GovernanceDecision) pub.get(3).payload()).reason()).contains("recovered");
        assertThat(a.engine.decisions().get(a.engine.decisions().size() - 1).index()).isEqualTo(index + 1);
        a.deactivate();
    }

    @Test
    void shouldKeepTheClusterViolatedSpecsWhenTheLogWasCompacted() throws Exception {
        FakeConsensus.Log log = new FakeConsensus.Log("node-a");
        List<PhasePacket<?>> pub = Stubs.recording();
        EgcActuationTest.FakeThrottle throttle = new EgcActuationTest.FakeThrottle();
        Stubs.Context ctx = new Stubs.Context(dir.resolve("b"));
        EgcComponent a = start(dir.resolve("sb"), ctx, pub, throttle, null, THROTTLE, Map.of());
        a.bindConsensus(new FakeConsensus(log, "node-a"));
        feed(a, ctx, log, 20);
        assertThat(pub).hasSize(1);
        assertThat(throttle.limits).containsKey("sensor.raw");

        // re-bound onto a log compacted past its start: no replay, the node's own view stands
        log.firstIndex = 1;
        a.bindConsensus(new FakeConsensus(log, "node-a"));
        assertThat(a.engine.replicated()).isTrue();
        feed(a, ctx, log, 1);
        assertThat(a.metrics().get("duplicate_decisions")).as("the recovery is not taken for a duplicate").isZero();
        assertThat(pub).extracting(p -> ((GovernanceDecision) p.payload()).action())
                .containsExactly(GovernanceAction.THROTTLE, GovernanceAction.ALERT, GovernanceAction.THROTTLE);
        assertThat(((GovernanceDecision) pub.get(2).payload()).reason()).contains("applied: lifted the limit of channel sensor.raw");
        assertThat(throttle.limits).as("the violation's limit is undone").isEmpty();
        a.deactivate();
    }

    @Test
    void shouldWaitForALogItCannotReadYetInsteadOfDecidingLocally() throws Exception {
        FakeConsensus.Log log = new FakeConsensus.Log("node-a", "node-d");
        for (int i = 0; i < 3; i++) {
            log.foreign(new byte[] {1});
        }
        log.commitAll();
        log.firstIndex = 3; // compacted, and this node's service still recovering: learning from 0 is refused
        FakeConsensus recovering = new FakeConsensus(log, "node-d");
        recovering.recovering = true;
        List<PhasePacket<?>> pub = Stubs.recording();
        Stubs.Context ctx = new Stubs.Context(dir.resolve("d"));
        EgcComponent d = start(dir.resolve("sd"), ctx, pub, null, null, SET_RATE, Map.of());
        d.bindConsensus(recovering);
        assertThat(d.engine.replicated()).as("not local").isTrue();
        assertThat(d.connectedForTest()).isNull();
        assertThat(d.retryingForTest()).isTrue();
        assertThat(d.health().status()).isEqualTo(io.chronofabric.api.core.HealthStatus.DEGRADED);
        assertThat(d.health().details()).contains("decisions through the consensus log as node node-d",
                "waiting to join the consensus log (decisions queued, retrying on EGC's timer)",
                "last consensus problem: consensus learn failed: Committed values before index 3 were compacted");

        // a violation meanwhile is queued: neither decided alone nor proposed to a log it cannot follow
        ctx.deliver("egc.input", new Sample("lat", 20, T0), T0);
        d.tick();
        d.tick();
        assertThat(pub).isEmpty();
        assertThat(log.pending()).isZero();

        // the log is recovered: the retry (EGC's timer; called here) joins it and the queued decision goes through it
        recovering.recovering = false;
        d.reconnect();
        assertThat(d.connectedForTest()).isSameAs(recovering);
        assertThat(d.retryingForTest()).isFalse();
        assertThat(d.health().details()).doesNotContain("waiting to join the consensus log (decisions queued, retrying on EGC's timer)");
        d.tick();
        assertThat(log.pending()).isEqualTo(1);
        assertThat(pub).isEmpty();
        log.commitAll();
        assertThat(pub).hasSize(1);
        assertThat(d.engine.decisions().get(0).origin()).isEqualTo("node-d");
        assertThat(d.engine.decisions().get(0).index()).isEqualTo(3);
        d.deactivate();
    }

    @Test
    void shouldNotSweepLocallyAtActivationWhenAConsensusServiceIsBound() throws Exception {
        FakeConsensus.Log log = new FakeConsensus.Log("node-a");
        EgcActuationTest.FakeThrottle throttle = new EgcActuationTest.FakeThrottle();
        // the cluster's log says lat is violated; this node's EGC restarts (its bus kept the limit), without a snapshot
        List<PhasePacket<?>> pubA = Stubs.recording();
        Stubs.Context ctxA = new Stubs.Context(dir.resolve("a"));
        EgcComponent a = start(dir.resolve("sa"), ctxA, pubA, throttle, new FakeConsensus(log, "node-a"), THROTTLE, Map.of());
        feed(a, ctxA, log, 20);
        assertThat(throttle.limits).containsKey("sensor.raw");
        a.deactivate();

        List<PhasePacket<?>> pub = Stubs.recording();
        EgcComponent b = start(dir.resolve("fresh"), new Stubs.Context(dir.resolve("b")), pub, throttle, new FakeConsensus(log, "node-a"),
                THROTTLE, Map.of());
        assertThat(pub).as("no local lift decision before the log is joined").isEmpty();
        assertThat(throttle.limits).containsKey("sensor.raw");
        assertThat(b.engine.replicated()).isTrue();
        b.deactivate();

        // with consensus off the activation sweep still lifts what a spec not violated set
        List<PhasePacket<?>> local = Stubs.recording();
        EgcComponent c = start(dir.resolve("fresh2"), new Stubs.Context(dir.resolve("c")), local, throttle, new FakeConsensus(log, "node-a"),
                THROTTLE, Map.of("consensus", "off"));
        assertThat(c.engine.replicated()).isFalse();
        assertThat(local).hasSize(1);
        assertThat(((GovernanceDecision) local.get(0).payload()).reason()).contains("applied: lifted the limit of channel sensor.raw");
        assertThat(throttle.limits).isEmpty();
        c.deactivate();
    }

    @Test
    void shouldReapplyTheLimitsOfSpecsStillViolatedAfterAFullRestart() throws Exception {
        FakeConsensus.Log log = new FakeConsensus.Log("node-a");
        EgcActuationTest.FakeThrottle throttle = new EgcActuationTest.FakeThrottle();
        List<PhasePacket<?>> pub = Stubs.recording();
        Stubs.Context ctx = new Stubs.Context(dir.resolve("a"));
        EgcComponent a = start(dir.resolve("sa"), ctx, pub, throttle, new FakeConsensus(log, "node-a"), THROTTLE, Map.of());
        feed(a, ctx, log, 20);
        assertThat(throttle.limits.get("sensor.raw").packetsPerSecond()).isEqualTo(50.0);
        a.deactivate();

        // the whole node restarts: the bus's limits (in memory) are gone, the Consensus service is back before its log
        EgcActuationTest.FakeThrottle fresh = new EgcActuationTest.FakeThrottle();
        FakeConsensus recovering = new FakeConsensus(log, "node-a");
        recovering.recovering = true;
        List<PhasePacket<?>> pub2 = Stubs.recording();
        Stubs.Context ctx2 = new Stubs.Context(dir.resolve("a2"));
        EgcComponent a2 = start(dir.resolve("sa"), ctx2, pub2, fresh, recovering, THROTTLE, Map.of());
        assertThat(pub2).as("replayed, not published again").isEmpty();
        assertThat(fresh.limits).containsOnlyKeys("sensor.raw");
        assertThat(fresh.limits.get("sensor.raw").packetsPerSecond()).isEqualTo(50.0);
        assertThat(fresh.limits.get("sensor.raw").reason()).isEqualTo(Actuator.tag("lat", THROTTLE));

        // the recovery lifts it; after the next restart nothing is re-applied (the spec is no longer violated)
        feed(a2, ctx2, log, 1);
        assertThat(fresh.limits).isEmpty();
        a2.deactivate();
        EgcActuationTest.FakeThrottle third = new EgcActuationTest.FakeThrottle();
        EgcComponent a3 = start(dir.resolve("sa"), new Stubs.Context(dir.resolve("a3")), Stubs.recording(), third, new FakeConsensus(log, "node-a"),
                THROTTLE, Map.of());
        assertThat(a3.metrics().get("replayed")).isEqualTo((double) log.committed.size());
        assertThat(third.limits).isEmpty();
        a3.deactivate();
    }
}
