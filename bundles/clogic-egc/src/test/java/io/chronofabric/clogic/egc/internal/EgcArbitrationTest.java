package io.chronofabric.clogic.egc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.Pad;
import io.chronofabric.api.clogic.Sample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weighted majority among proposers, decisions through a consensus log, and modulation. */
class EgcArbitrationTest {

    static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;

    static final String A = "lat:violated=drpp/*:SET_RATE:0.5";
    static final String B1 = "lat:violated=*/*:ALERT";
    static final String B2 = "lat:violation=*/*:ALERT";

    private static List<EgcEngine.DecisionRecord> feed(EgcEngine e, double... lat) {
        List<EgcEngine.DecisionRecord> out = new ArrayList<>();
        for (double v : lat) {
            e.offer("lat", v);
            out.addAll(e.tick(0));
        }
        return out;
    }

    @Test
    void shouldDecideByWeightedMajorityAndMultiplyWrongVotersByBeta() {
        EgcEngine e = new EgcEngine();
        e.configure(Map.of("lat", "lat <= 10"), 1.0, Rule.parseAll(new String[] {A + ", " + B1 + ", " + B2}), 100);
        e.arbitration(EgcEngine.Arbitration.WEIGHTED_MAJORITY, 3, 0.5, 0);

        // two proposers for ALERT (weight 2) against one for SET_RATE (weight 1): one decision, ALERT
        List<EgcEngine.DecisionRecord> first = feed(e, 5, 20);
        assertThat(first).hasSize(1);
        assertThat(first.get(0).decision().action()).isEqualTo(GovernanceAction.ALERT);
        assertThat(first.get(0).rule()).isEqualTo(B1);
        assertThat(first.get(0).vote()).isEqualTo("drpp/*:SET_RATE:0.5 1.00 (1 proposer) vs */*:ALERT 2.00 (2 proposers)");
        assertThat(first.get(0).decision().reason()).contains("spec 'lat' violated", "robustness -10", "rule " + B1,
                "weighted majority drpp/*:SET_RATE:0.5 1.00");

        // still violated 3 samples after the decision: the ALERT was wrong, both of its voters lose half
        feed(e, 20, 20);
        assertThat(e.weights()).containsEntry(B1, 1.0).containsEntry(B2, 1.0);
        feed(e, 20);
        assertThat(e.weights()).containsEntry(A, 1.0).containsEntry(B1, 0.5).containsEntry(B2, 0.5);
        assertThat(e.wrongs()).isEqualTo(1);

        // recovery (default alert, a single proposer), then a new violation: 1.0 against 1.0, the first in order wins
        List<EgcEngine.DecisionRecord> second = feed(e, 5, 5, 5, 5, 20);
        assertThat(second).hasSize(2);
        assertThat(second.get(0).violation()).isFalse();
        assertThat(second.get(1).decision().action()).isEqualTo(GovernanceAction.SET_RATE);
        assertThat(second.get(1).decision().value()).isEqualTo(0.5);
        assertThat(second.get(1).rule()).isEqualTo(A);
        // this time it recovers within the window: right, no weight changes
        feed(e, 20, 5, 5, 5, 5);
        assertThat(e.weights()).containsEntry(A, 1.0).containsEntry(B1, 0.5).containsEntry(B2, 0.5);
        assertThat(e.wrongs()).isEqualTo(1);
    }

    @Test
    void shouldJudgeARecoveryDecisionWrongWhenTheSpecIsViolatedAgainWithinTheWindow() {
        String r = "lat:recovered=drpp/*:SET_RATE:2";
        EgcEngine e = new EgcEngine();
        e.configure(Map.of("lat", "lat <= 10"), 1.0, Rule.parseAll(new String[] {r}), 100);
        e.arbitration(EgcEngine.Arbitration.WEIGHTED_MAJORITY, 5, 0.25, 0);
        feed(e, 20, 5, 5, 20);
        assertThat(e.weights()).containsEntry(r, 0.25);
        feed(e, 5, 5, 5, 5, 5, 5, 5);
        assertThat(e.weights()).containsEntry(r, 0.25);
        assertThat(e.pendingOutcomes()).isZero();
    }

    @Test
    void shouldLetEveryRuleDecideInModeAll() {
        EgcEngine e = new EgcEngine();
        e.configure(Map.of("lat", "lat <= 10"), 1.0, Rule.parseAll(new String[] {A + ", " + B1}), 100);
        e.arbitration(EgcEngine.Arbitration.ALL, 3, 0.5, 0);
        assertThat(feed(e, 20)).extracting(d -> d.decision().action()).containsExactly(GovernanceAction.SET_RATE, GovernanceAction.ALERT);
        feed(e, 20, 20, 20, 20);
        assertThat(e.weights()).containsEntry(A, 1.0).containsEntry(B1, 1.0);
    }

    @Test
    void shouldEncodeLogEntriesAndIgnoreOtherServicesValues() {
        GovernanceDecision d = new GovernanceDecision("drpp", "*", GovernanceAction.SET_RATE, 0.5, "why", 7, "lat", -2.5, A);
        DecisionEntry e = new DecisionEntry(DecisionEntry.Kind.DECISION, "node-a", "lat", true, -2.5, 12, A, "vote", List.of(A), List.of(d));
        assertThat(DecisionEntry.decode(e.encode())).isEqualTo(e);
        assertThat(DecisionEntry.decode(e.encode()).decisions().get(0).rule()).isEqualTo(A);
        GovernanceDecision plain = new GovernanceDecision("drpp", "*", GovernanceAction.SET_RATE, 0.5, "why", 7);
        DecisionEntry p = new DecisionEntry(DecisionEntry.Kind.DECISION, "node-a", "lat", true, -2.5, 12, A, "", List.of(), List.of(plain));
        assertThat(DecisionEntry.decode(p.encode())).isEqualTo(p);
        assertThat(DecisionEntry.decode(version1(p))).isEqualTo(p);
        DecisionEntry w = DecisionEntry.wrong("node-b", "lat", true, 3, List.of(B1, B2));
        assertThat(DecisionEntry.decode(w.encode())).isEqualTo(w);
        assertThat(DecisionEntry.decode("lock:x".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(DecisionEntry.decode(new byte[0])).isNull();
        byte[] cut = java.util.Arrays.copyOf(e.encode(), 20);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DecisionEntry.decode(cut)).hasMessageContaining("truncated");
    }

    /** The entry as a version-1 node wrote it: no spec, robustness or rule after each decision's time. */
    private static byte[] version1(DecisionEntry e) {
        try {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            java.io.DataOutputStream o = new java.io.DataOutputStream(b);
            o.writeInt(DecisionEntry.MAGIC);
            o.writeByte(1);
            o.writeByte(e.kind().ordinal());
            o.writeUTF(e.origin());
            o.writeUTF(e.spec());
            o.writeBoolean(e.violation());
            o.writeDouble(e.robustness());
            o.writeLong(e.step());
            o.writeUTF(e.rule());
            o.writeUTF(e.vote());
            o.writeInt(e.voters().size());
            for (String v : e.voters()) {
                o.writeUTF(v);
            }
            o.writeInt(e.decisions().size());
            for (GovernanceDecision d : e.decisions()) {
                o.writeUTF(d.module());
                o.writeUTF(d.analysis());
                o.writeUTF(d.action().name());
                o.writeDouble(d.value());
                o.writeUTF(d.reason());
                o.writeLong(d.timeNanos());
            }
            return b.toByteArray();
        } catch (java.io.IOException x) {
            throw new IllegalStateException(x);
        }
    }

    // ------------------------------------------------------------------ component level

    private EgcComponent start(Path state, Stubs.Context ctx, Stubs.Clock clock, List<PhasePacket<?>> published, Map<String, Object> overrides,
            Map<String, Object> props) {
        Map<String, Object> o = new HashMap<>(overrides);
        o.putIfAbsent("period_ms", 3_600_000L);
        o.putIfAbsent("snapshot_interval_s", 86_400L);
        o.putIfAbsent("state_dir", state.toString());
        o.putIfAbsent("spec_dir", "-");
        EgcComponent c = new EgcComponent();
        c.bindTime(clock);
        c.bindBus(Stubs.bus(published));
        c.activate(ctx.context, Stubs.config(o), props);
        return c;
    }

    @Test
    void shouldApplyTheSameDecisionOnEveryNodeWhenCommittedThroughConsensus() throws Exception {
        FakeConsensus.Log log = new FakeConsensus.Log("node-a", "node-b");
        Stubs.Clock clock = new Stubs.Clock(T0);
        List<PhasePacket<?>> pubA = Stubs.recording();
        List<PhasePacket<?>> pubB = Stubs.recording();
        Stubs.Context ctxA = new Stubs.Context(dir.resolve("a"));
        Stubs.Context ctxB = new Stubs.Context(dir.resolve("b"));
        Map<String, Object> cfg = Map.of("rules", new String[] {A + ", " + B1});
        Map<String, Object> specs = Map.of("spec.lat", "lat <= 10");
        EgcComponent a = start(dir.resolve("sa"), ctxA, clock, pubA, cfg, specs);
        EgcComponent b = start(dir.resolve("sb"), ctxB, clock, pubB, cfg, specs);
        a.bindConsensus(new FakeConsensus(log, "node-a"));
        b.bindConsensus(new FakeConsensus(log, "node-b"));
        assertThat(a.health().details()).contains("decisions through the consensus log as node node-a");

        log.foreign("not an EGC value".getBytes(StandardCharsets.UTF_8));
        // both nodes see the violation (robustness -10 at a, -15 at b) and propose; nothing is applied before the commit
        ctxA.deliver("egc.input", new Sample("lat", 20, T0), T0);
        ctxB.deliver("egc.input", new Sample("lat", 25, T0), T0);
        a.tick();
        b.tick();
        assertThat(log.pending()).isEqualTo(3);
        assertThat(pubA).isEmpty();
        assertThat(pubB).isEmpty();

        log.commitAll();
        // the first committed (node-a's) is applied everywhere, node-b's own is a duplicate of the same event
        assertThat(pubA).hasSize(1);
        assertThat(pubB).hasSize(1);
        GovernanceDecision da = (GovernanceDecision) pubA.get(0).payload();
        assertThat(pubB.get(0).payload()).isEqualTo(da);
        assertThat(da.action()).isEqualTo(GovernanceAction.SET_RATE);
        assertThat(da.reason()).contains("robustness -10");
        assertThat(a.engine.decisions().get(0).origin()).isEqualTo("node-a");
        assertThat(b.engine.decisions().get(0).origin()).isEqualTo("node-a");
        assertThat(b.engine.duplicates()).isEqualTo(1);
        // both name the log index they applied it from (the foreign value took index 0)
        assertThat(a.engine.decisions().get(0).index()).isEqualTo(1);
        assertThat(b.engine.decisions().get(0).index()).isEqualTo(1);
        assertThat(a.metrics()).containsEntry("committed_applied", 2.0).containsEntry("proposed", 1.0);

        // node-a's decision stays unanswered for the outcome window (10 samples): its WRONG verdict goes
        // through the log too, and both nodes lower the same weight
        for (int i = 0; i < 10; i++) {
            a.tick();
            b.tick();
        }
        log.commitAll();
        assertThat(a.engine.weights()).containsEntry(A, 0.5).containsEntry(B1, 1.0);
        assertThat(b.engine.weights()).isEqualTo(a.engine.weights());

        // without consensus: local again
        a.unbindConsensus(a.connectedForTest());
        ctxA.deliver("egc.input", new Sample("lat", 1, T0), T0);
        a.tick();
        assertThat(pubA).hasSize(2);
        assertThat(a.health().details()).contains("decisions local (no consensus)");
        a.deactivate();
        b.deactivate();
    }

    @Test
    void shouldRebuildTheWeightsFromTheLogWhenANodeJoinsLate() throws Exception {
        FakeConsensus.Log log = new FakeConsensus.Log("node-a", "node-c");
        Stubs.Clock clock = new Stubs.Clock(T0);
        List<PhasePacket<?>> pubA = Stubs.recording();
        List<PhasePacket<?>> pubC = Stubs.recording();
        Stubs.Context ctxA = new Stubs.Context(dir.resolve("a"));
        Stubs.Context ctxC = new Stubs.Context(dir.resolve("c"));
        Map<String, Object> cfg = Map.of("rules", new String[] {A + ", " + B1});
        Map<String, Object> specs = Map.of("spec.lat", "lat <= 10");
        EgcComponent a = start(dir.resolve("sa"), ctxA, clock, pubA, cfg, specs);
        a.bindConsensus(new FakeConsensus(log, "node-a"));
        // in the cluster: one violation decided by A (the tie's first), wrong after the window: A 0.5, B1 1
        ctxA.deliver("egc.input", new Sample("lat", 20, T0), T0);
        for (int i = 0; i < 12; i++) {
            a.tick();
            log.commitAll();
        }
        assertThat(a.engine.weights()).containsEntry(A, 0.5).containsEntry(B1, 1.0);

        // node c, alone before it joins: two wrong decisions of its own (A, then B1 once A weighs less)
        EgcComponent c = start(dir.resolve("sc"), ctxC, clock, pubC, cfg, specs);
        for (double lat : new double[] {20, 1, 20}) {
            ctxC.deliver("egc.input", new Sample("lat", lat, T0), T0);
            for (int i = 0; i < 12; i++) {
                c.tick();
            }
        }
        assertThat(c.engine.weights()).containsEntry(A, 0.5).containsEntry(B1, 0.5);
        int localDecisions = pubC.size();

        // joining: the log's entries replayed (not published again), the weights are the cluster's
        c.bindConsensus(new FakeConsensus(log, "node-c"));
        assertThat(c.engine.weights()).isEqualTo(a.engine.weights());
        assertThat(pubC).hasSize(localDecisions);
        assertThat(c.metrics().get("replayed")).isEqualTo(2.0); // the decision and its WRONG verdict
        assertThat(c.metrics().get("committed_applied")).isZero();

        // the next decision (A's recovery) is applied live by both, at the same index
        ctxA.deliver("egc.input", new Sample("lat", 1, T0), T0);
        a.tick();
        log.commitAll();
        assertThat(pubC).hasSize(localDecisions + 1);
        EgcEngine.DecisionRecord ra = a.engine.decisions().get(a.engine.decisions().size() - 1);
        EgcEngine.DecisionRecord rc = c.engine.decisions().get(c.engine.decisions().size() - 1);
        assertThat(rc.violation()).isFalse();
        assertThat(rc.index()).isEqualTo(ra.index()).isEqualTo(2);
        assertThat(rc.origin()).isEqualTo("node-a");

        // c restarts, and its Consensus service is there before its log is recovered (commit index -1): the index its
        // snapshot says it applied marks what is replayed, not published again
        c.deactivate();
        List<PhasePacket<?>> pubC2 = Stubs.recording();
        EgcComponent c2 = start(dir.resolve("sc"), new Stubs.Context(dir.resolve("c2")), clock, pubC2, cfg, specs);
        FakeConsensus recovering = new FakeConsensus(log, "node-c");
        recovering.recovering = true;
        c2.bindConsensus(recovering);
        assertThat(pubC2).isEmpty();
        assertThat(c2.engine.weights()).isEqualTo(a.engine.weights());
        assertThat(c2.metrics().get("replayed")).isEqualTo(3.0);
        assertThat(c2.engine.logIndex()).isEqualTo(2);

        // a log compacted before its start: nothing to replay, the weights start at 1 (and it says so in the log)
        log.firstIndex = 3;
        EgcComponent d = start(dir.resolve("sd"), new Stubs.Context(dir.resolve("d")), clock, Stubs.recording(), cfg, specs);
        d.bindConsensus(new FakeConsensus(log, "node-d"));
        assertThat(d.engine.replicated()).isTrue();
        assertThat(d.engine.weights()).containsEntry(A, 1.0).containsEntry(B1, 1.0);
        a.deactivate();
        c2.deactivate();
        d.deactivate();
    }

    @Test
    void shouldLetArousalShortenTheHysteresisAndValenceScaleTheAlert() throws Exception {
        Stubs.Clock clock = new Stubs.Clock(T0);
        List<PhasePacket<?>> pub = Stubs.recording();
        Stubs.Context ctx = new Stubs.Context(dir);
        EgcComponent egc = start(dir.resolve("s"), ctx, clock, pub, Map.of("hysteresis", 1.0), Map.of("spec.x", "x <= 10"));
        assertThat(ctx.handlers).containsKeys("egc.input", "egc.modulation");

        // robustness -0.5: inside the hysteresis band of 1 at neutral arousal, no violation
        ctx.deliver("egc.input", new Sample("x", 10.5, T0), T0);
        egc.tick();
        assertThat(pub).isEmpty();
        assertThat(egc.engine.specs().get(0).status()).isEqualTo("satisfied (hysteresis 1)");

        // calm (arousal -1): band 2; still nothing at -1.5
        ctx.deliver("egc.modulation", new Modulation("ems", new Pad(0, -1, 0), "none", 0, T0), T0);
        ctx.deliver("egc.input", new Sample("x", 11.5, T0), T0);
        egc.tick();
        assertThat(pub).isEmpty();
        assertThat(egc.metrics()).containsEntry("hysteresis", 2.0);

        // aroused (arousal 1) and distressed (pleasure -1): band 0, the violation is decided, the alert 1.5 x as severe
        ctx.deliver("egc.modulation", new Modulation("ems", new Pad(-1, 1, 0), "fear", 0.9, T0), T0);
        ctx.deliver("egc.input", new Sample("x", 10.5, T0), T0);
        egc.tick();
        assertThat(pub).hasSize(1);
        GovernanceDecision d = (GovernanceDecision) pub.get(0).payload();
        assertThat(d.action()).isEqualTo(GovernanceAction.ALERT);
        assertThat(d.value()).isCloseTo(0.5 / 1.5 * 1.5, within(1e-12));
        assertThat(d.reason()).contains("modulation activation 1.00 valence -1.00: hysteresis 0, severity x1.50");
        assertThat(egc.metrics()).containsEntry("modulations", 2.0);

        // pleased (pleasure 1), neutral arousal: band 1 again; recovery needs robustness >= 1
        ctx.deliver("egc.modulation", new Modulation("ems", new Pad(1, 0, 0), "joy", 0.5, T0), T0);
        ctx.deliver("egc.input", new Sample("x", 9.5, T0), T0);
        egc.tick();
        assertThat(pub).hasSize(1);
        assertThat(egc.engine.specs().get(0).status()).isEqualTo("violated (hysteresis 1)");
        ctx.deliver("egc.input", new Sample("x", 8, T0), T0);
        egc.tick();
        assertThat(pub).hasSize(2);

        // a wrong payload on the modulation channel is skipped with the reason
        ctx.deliver("egc.modulation", "calm down", T0);
        assertThat(egc.state().skipped()).isEqualTo(1);

        // another modulation channel starts neutral
        ctx.deliver("egc.modulation", new Modulation("ems", new Pad(-0.5, 0.8, 0), "fear", 0.4, T0), T0);
        assertThat(egc.metrics()).containsEntry("activation", 0.9);
        Map<String, Object> o = new HashMap<>();
        o.put("period_ms", 3_600_000L);
        o.put("snapshot_interval_s", 86_400L);
        o.put("state_dir", dir.resolve("s").toString());
        o.put("spec_dir", "-");
        o.put("hysteresis", 1.0);
        o.put("modulation_channel", "other.modulation");
        egc.modified(Stubs.config(o), Map.of("spec.x", "x <= 10"));
        assertThat(ctx.handlers).containsOnlyKeys("egc.input", "other.modulation");
        assertThat(egc.metrics()).containsEntry("activation", 0.5).containsEntry("valence", 0.0).containsEntry("hysteresis", 1.0);
        egc.deactivate();
    }
}
