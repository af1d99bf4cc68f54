package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.bus.ChannelThrottle;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.Pad;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.TimeOracle;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * EGC in the distribution: a spec on the bus latency that cannot hold (p99 below -1 µs) and a spec
 * on a Sample stream are violated; the decisions on egc.decisions reach ems.governance and
 * drpp.governance through the coordinator's links; the console commands. Weighted majority among
 * rules and modulation (without consensus: the cluster feature is not in this container), and a
 * printed measurement of decisions per second. Each method puts EGC's configuration back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClogicEgcIT extends ChronoFabricTestSupport {

    @Test
    public void aViolatedSpecOnBusLatencyBecomesADecisionThatReachesTheOtherModules() throws Exception {
        CognitiveModule egc = service(CognitiveModule.class, "(" + CognitiveModule.MODULE_PROPERTY + "=egc)");
        EventBus bus = service(EventBus.class);
        try (Receiver<Object> ems = bus.subscribeChannel(ClogicChannels.EMS_GOVERNANCE);
                Receiver<Object> drpp = bus.subscribeChannel(ClogicChannels.DRPP_GOVERNANCE)) {
            configure("spec.provoked", "historically[0:1](bus.recent_p99_us < -1)", "spec.temp", "temp <= 10", "period.ms", "100",
                    "rules", "provoked:violated=drpp/ksg:DISABLE");
            // the configuration is applied asynchronously: the Sample goes out once the three specs are in
            waitFor(() -> egc.metrics().get("specs") == 3.0, () -> "EGC with 3 specs: " + egc.metrics() + ", " + egc.health());
            bus.publish(PhasePacket.builder(new Sample("temp", 42, System.nanoTime())).channel(ClogicChannels.EGC_INPUT).build());
            GovernanceDecision toDrpp = await(drpp, "spec 'provoked' violated");
            assertEquals(GovernanceAction.DISABLE, toDrpp.action());
            assertEquals("ksg", toDrpp.analysis());
            assertTrue(toDrpp.reason(), toDrpp.reason().contains("robustness") && toDrpp.reason().contains("rule provoked:violated=drpp/ksg:DISABLE"));
            GovernanceDecision toEms = await(ems, "spec 'temp' violated: robustness -32");
            assertEquals(GovernanceAction.ALERT, toEms.action());
            assertEquals(GovernanceDecision.ALL, toEms.module());
        }
        assertContains(execute("csf:egc-specs"), "provoked");
        assertContains(execute("csf:egc-decisions"), "temp:violated=*/*:ALERT (default)");
        assertContains(execute("csf:stl --input a=100,-1,-2,5,-1 --input b=20,-2,10,4,-1 \"a until b\""), "t=0 20\nt=1 -1\nt=2 10\nt=3 4\nt=4 -1");
        assertContains(executeExpectingError("csf:stl -i a=1,2 \"always[0:1 h](a)\""), "line 1, column 12: expected a time unit");
    }

    /**
     * Weighted majority among three rules for the same violation (two vote ALERT, one SET_RATE): the
     * ALERT wins, stays unanswered for outcome.window samples, so its two voters lose half their weight;
     * at the next violation the SET_RATE wins the tie. Modulation on its channel: a violation inside the
     * hysteresis band is decided once arousal is high, with the ALERT raised by the negative valence.
     */
    @Test
    public void weightedMajorityAndModulationShapeTheDecisions() throws Exception {
        CognitiveModule egc = service(CognitiveModule.class, "(" + CognitiveModule.MODULE_PROPERTY + "=egc)");
        EventBus bus = service(EventBus.class);
        Dictionary<String, Object> saved = current();
        double specsBefore = egc.metrics().get("specs");
        try (Receiver<Object> ems = bus.subscribeChannel(ClogicChannels.EMS_GOVERNANCE);
                Receiver<Object> drpp = bus.subscribeChannel(ClogicChannels.DRPP_GOVERNANCE)) {
            configure("spec.wm", "wm <= 10", "spec.mod", "mod <= 10",
                    "rules", "wm:violated=drpp/ksg:SET_RATE:0.5, wm:violated=*/*:ALERT, wm:violation=*/*:ALERT",
                    "arbitration", "weighted_majority", "outcome.window", "3", "wm.beta", "0.5", "period.ms", "100",
                    "hysteresis", "5", "modulation.channel", "egc.it.modulation");
            waitFor(() -> egc.metrics().get("specs") == specsBefore + 2, () -> "EGC with 2 more specs: " + egc.metrics() + ", " + egc.health());
            // a new modulation channel starts neutral (EMS's mood may have reached egc.modulation before)
            waitFor(() -> egc.metrics().get("activation") == 0.5 && egc.metrics().get("valence") == 0.0, () -> "neutral modulation: " + egc.metrics());
            bus.publish(PhasePacket.builder(new Sample("wm", 50, System.nanoTime())).channel(ClogicChannels.EGC_INPUT).build());
            GovernanceDecision first = await(ems, "spec 'wm' violated");
            assertEquals(GovernanceAction.ALERT, first.action());
            assertTrue(first.reason(), first.reason().contains("weighted majority drpp/ksg:SET_RATE:0.5 1.00 (1 proposer) vs */*:ALERT 2.00 (2 proposers)"));
            waitFor(() -> egc.metrics().get("wrong_decisions") >= 1, () -> "a wrong decision: " + egc.metrics());
            assertContains(execute("csf:egc-specs"), "0.5        wm:violated=*/*:ALERT");
            bus.publish(PhasePacket.builder(new Sample("wm", 1, System.nanoTime())).channel(ClogicChannels.EGC_INPUT).build());
            await(ems, "spec 'wm' recovered");
            bus.publish(PhasePacket.builder(new Sample("wm", 60, System.nanoTime())).channel(ClogicChannels.EGC_INPUT).build());
            // (every decision reaches every governance channel through the links: wait for this one by its vote)
            GovernanceDecision second = await(drpp, "vs */*:ALERT 1.00 (2 proposers)");
            assertEquals(GovernanceAction.SET_RATE, second.action());
            assertTrue(second.reason(), second.reason().contains("spec 'wm' violated") && second.reason().contains("rule wm:violated=drpp/ksg:SET_RATE:0.5"));
            assertContains(execute("csf:egc-decisions"), "vote drpp/ksg:SET_RATE:0.5 1.00 (1 proposer) vs */*:ALERT 1.00 (2 proposers)");

            // robustness -2 inside the band of 5 at neutral arousal: satisfied; aroused and distressed: violated, alert x1.5
            bus.publish(PhasePacket.builder(new Sample("mod", 12, System.nanoTime())).channel(ClogicChannels.EGC_INPUT).build());
            waitFor(() -> {
                try {
                    return execute("csf:egc-specs").contains("satisfied (hysteresis 5)");
                } catch (Exception e) {
                    return false;
                }
            }, "spec mod satisfied inside the hysteresis band");
            bus.publish(PhasePacket.builder(new Modulation("ems", new Pad(-1, 1, 0), "fear", 0.9, System.nanoTime()))
                    .channel("egc.it.modulation").build());
            GovernanceDecision aroused = await(ems, "spec 'mod' violated: robustness -2");
            assertEquals(GovernanceAction.ALERT, aroused.action());
            assertEquals(1.0, aroused.value(), 1e-12); // severity 2/3 x 1.5
            assertTrue(aroused.reason(), aroused.reason().contains("modulation activation 1.00 valence -1.00: hysteresis 0, severity x1.50"));
            bus.publish(PhasePacket.builder(new Modulation("ems", Pad.NEUTRAL, Modulation.NONE, 0, System.nanoTime()))
                    .channel("egc.it.modulation").build());
            waitFor(() -> egc.metrics().get("activation") == 0.5 && egc.metrics().get("valence") == 0.0, () -> "neutral modulation: " + egc.metrics());
        } finally {
            restore(saved);
            waitFor(() -> egc.metrics().get("specs") == specsBefore, () -> "EGC back to its specs: " + egc.metrics());
        }
    }

    /**
     * Actuation: a violated spec throttles a bus channel through the bus's ChannelThrottle (a second
     * tryPublish there answers THROTTLED) and pins the time oracle's hint, each decision on egc.decisions
     * saying it was applied; the spec's recovery lifts both, again as decisions.
     */
    @Test
    public void aViolatedSpecThrottlesAChannelAndPinsTheOracleAndItsRecoveryLiftsBoth() throws Exception {
        CognitiveModule egc = service(CognitiveModule.class, "(" + CognitiveModule.MODULE_PROPERTY + "=egc)");
        EventBus bus = service(EventBus.class);
        ChannelThrottle throttle = service(ChannelThrottle.class);
        TimeOracle oracle = service(TimeOracle.class);
        Dictionary<String, Object> saved = current();
        double specsBefore = egc.metrics().get("specs");
        String rule = "act:violated=bus/it.throttled:THROTTLE:0.1:1";
        try (Receiver<Object> decisions = bus.subscribeChannel(ClogicChannels.EGC_DECISIONS)) {
            configure("spec.act", "act <= 10", "rules", rule + ", act:violated=oracle/MINIMIZE_LATENCY:ORACLE_HINT", "arbitration", "all",
                    "period.ms", "100");
            waitFor(() -> egc.metrics().get("specs") == specsBefore + 1, () -> "EGC with 1 more spec: " + egc.metrics() + ", " + egc.health());
            bus.publish(PhasePacket.builder(new Sample("act", 50, System.nanoTime())).channel(ClogicChannels.EGC_INPUT).build());
            GovernanceDecision limited = await(decisions, "applied: channel it.throttled limited to 0.1 packets/s, burst 1");
            assertEquals(GovernanceAction.THROTTLE, limited.action());
            assertEquals("act", limited.spec());
            assertEquals(rule, limited.rule());
            assertEquals(-40, limited.robustness(), 1e-9);
            await(decisions, "applied: oracle hint pinned to MINIMIZE_LATENCY until the spec recovers");
            assertTrue(throttle.limitOf("it.throttled").isPresent());
            assertEquals(PublishStatus.ACCEPTED, bus.tryPublish(PhasePacket.builder("a").channel("it.throttled").build()));
            assertEquals(PublishStatus.THROTTLED, bus.tryPublish(PhasePacket.builder("b").channel("it.throttled").build()));
            assertEquals(OptimizationHint.MINIMIZE_LATENCY, oracle.currentHint());
            assertContains(execute("csf:throttles"), "egc spec=act rule=" + rule);
            assertContains(execute("csf:oracle"), "Pin         : MINIMIZE_LATENCY until unpinned (egc spec=act");

            bus.publish(PhasePacket.builder(new Sample("act", 1, System.nanoTime())).channel(ClogicChannels.EGC_INPUT).build());
            GovernanceDecision lifted = await(decisions, "applied: lifted the limit of channel it.throttled");
            assertEquals(GovernanceAction.THROTTLE, lifted.action());
            assertEquals(0, lifted.value(), 0);
            assertEquals(rule, lifted.rule());
            await(decisions, "applied: unpinned the oracle (was MINIMIZE_LATENCY)");
            assertTrue(throttle.limitOf("it.throttled").isEmpty());
            assertEquals(PublishStatus.ACCEPTED, bus.tryPublish(PhasePacket.builder("c").channel("it.throttled").build()));
            assertTrue(oracle.pinned().isEmpty());
            String shown = execute("csf:egc-decisions");
            assertContains(shown, "bus/it.throttled THROTTLE 0.1");
            assertContains(shown, "    applied: lifted the limit of channel it.throttled");
        } finally {
            restore(saved);
            waitFor(() -> egc.metrics().get("specs") == specsBefore, () -> "EGC back to its specs: " + egc.metrics());
            throttle.clear("it.throttled");
            oracle.unpin();
        }
    }

    /**
     * Decisions per second through EGC in the distribution (prints, asserts no timing): 200 specs on one
     * Sample stream that flips sign every 2 ms, period.ms = 1, every spec without a rule (an ALERT each):
     * each flip a tick sees is 200 decisions, logged and published on egc.decisions (and linked on).
     */
    @Test
    public void measureDecisionsPerSecondFromLiveSpecs() throws Exception {
        CognitiveModule egc = service(CognitiveModule.class, "(" + CognitiveModule.MODULE_PROPERTY + "=egc)");
        EventBus bus = service(EventBus.class);
        Dictionary<String, Object> saved = current();
        double specsBefore = egc.metrics().get("specs");
        int n = 200;
        try {
            String[] kv = new String[2 * n + 4];
            for (int i = 0; i < n; i++) {
                kv[2 * i] = "spec.rate" + i;
                kv[2 * i + 1] = "flip <= " + (i % 2 == 0 ? "0" : "0.5");
            }
            kv[2 * n] = "period.ms";
            kv[2 * n + 1] = "1";
            kv[2 * n + 2] = "hysteresis";
            kv[2 * n + 3] = "0";
            configure(kv);
            waitFor(() -> egc.metrics().get("specs") == specsBefore + n, () -> "EGC with " + n + " more specs: " + egc.metrics());
            long seconds = 3;
            double published0 = egc.metrics().get("published");
            double ticks0 = egc.metrics().get("ticks");
            long t0 = System.nanoTime();
            long flips = 0;
            while (System.nanoTime() - t0 < seconds * 1_000_000_000L) {
                double v = (flips++ & 1) == 0 ? 1 : -1;
                bus.publish(PhasePacket.builder(new Sample("flip", v, System.nanoTime())).channel(ClogicChannels.EGC_INPUT).build());
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double decisions = egc.metrics().get("published") - published0;
            double ticks = egc.metrics().get("ticks") - ticks0;
            System.out.printf(java.util.Locale.ROOT, "EGC-DECISIONS-PER-SECOND: %d specs, %d flips in %.2f s (%.0f flips/s, at most %.0f decisions/s"
                    + " offered), %.0f ticks (%.0f/s), %.0f decisions published: %.0f decisions/s%n", n, flips, elapsed, flips / elapsed,
                    n * flips / elapsed, ticks, ticks / elapsed, decisions, decisions / elapsed);
            assertTrue("some decisions were published: " + egc.metrics(), decisions > 0);
        } finally {
            restore(saved);
            waitFor(() -> egc.metrics().get("specs") == specsBefore, () -> "EGC back to its specs: " + egc.metrics());
        }
    }

    private Dictionary<String, Object> current() throws Exception {
        Configuration config = service(ConfigurationAdmin.class).getConfiguration("io.chronofabric.clogic.egc", "?");
        Dictionary<String, Object> props = config.getProperties();
        Hashtable<String, Object> copy = new Hashtable<>();
        if (props != null) {
            for (java.util.Enumeration<String> e = props.keys(); e.hasMoreElements();) {
                String k = e.nextElement();
                copy.put(k, props.get(k));
            }
        }
        return copy;
    }

    private void restore(Dictionary<String, Object> saved) throws Exception {
        service(ConfigurationAdmin.class).getConfiguration("io.chronofabric.clogic.egc", "?").update(saved);
    }

    private static GovernanceDecision await(Receiver<Object> r, String reason) throws InterruptedException {
        long end = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            PhasePacket<Object> p = r.take(1, TimeUnit.SECONDS);
            if (p != null && p.payload() instanceof GovernanceDecision d && d.reason().contains(reason)) {
                return d;
            }
        }
        assertNotNull("a GovernanceDecision '" + reason + "'", null);
        return null;
    }

    private void configure(String... keyValues) throws Exception {
        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration("io.chronofabric.clogic.egc", "?");
        Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        config.update(props);
    }
}
