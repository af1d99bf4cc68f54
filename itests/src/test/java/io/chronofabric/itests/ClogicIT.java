package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.clogic.AffectModule;
import io.chronofabric.api.clogic.AppraisalEvent;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.Pad;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthStatus;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * DRPP in the distribution: a numeric stream published on drpp.input gives pattern events on
 * drpp.patterns that also arrive on adp.input through the coordinator's link; bad payloads are
 * counted, not fatal; EMS modulation changes DRPP's sensitivity; the console commands; stopping
 * DRPP leaves EMS running, and a restarted DRPP has its state back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClogicIT extends ChronoFabricTestSupport {

    private static final String DRPP = "(" + CognitiveModule.MODULE_PROPERTY + "=drpp)";

    @Before
    public void drppInstalled() throws Exception {
        boolean present = false;
        for (Bundle b : bundleContext.getBundles()) {
            present |= "io.chronofabric.clogic.drpp".equals(b.getSymbolicName());
        }
        if (!present) {
            // what feature:install does (the feature commands are hidden from a session without an admin subject)
            service(FeaturesService.class).installFeature("chronofabric-clogic-drpp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
    }

    private static void publishSine(EventBus bus, String stream, int n) {
        RoutingMetadata routing = RoutingMetadata.defaults(ComponentId.SYSTEM);
        for (int i = 0; i < n; i++) {
            // 1/8 cycles per sample: FFT bin 32 of the default 256-sample window
            bus.publish(PhasePacket.of(new Sample(stream, Math.sin(2 * Math.PI * i / 8.0), 0), ClogicChannels.DRPP_INPUT, routing));
        }
    }

    private static PatternEvent awaitResonance(Receiver<Object> r, String stream) throws InterruptedException {
        long end = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            PhasePacket<Object> p = r.take(1, TimeUnit.SECONDS);
            if (p != null && p.payload() instanceof PatternEvent e && e.kind() == PatternKind.RESONANCE && e.streams().contains(stream)) {
                return e;
            }
        }
        return null;
    }

    @Test
    public void aStreamOnTheBusGivesPatternEventsOnDrppPatternsAndAtAdpInput() throws Exception {
        EventBus bus = service(EventBus.class);
        CognitiveModule drpp = service(CognitiveModule.class, DRPP);
        waitFor(() -> drpp.inputChannels().contains(ClogicChannels.DRPP_INPUT), () -> "DRPP subscribed to drpp.input: " + drpp.inputChannels());
        long skippedBefore = drpp.state().skipped();
        try (Receiver<Object> patterns = bus.subscribeChannel(ClogicChannels.DRPP_PATTERNS);
                Receiver<Object> adp = bus.subscribeChannel(ClogicChannels.ADP_INPUT)) {
            // a payload that is no number: counted and skipped, the module goes on
            bus.publish(PhasePacket.of("not a number", ClogicChannels.DRPP_INPUT, RoutingMetadata.defaults(ComponentId.SYSTEM)));
            publishSine(bus, "itest.sine", 1024);
            PatternEvent onPatterns = awaitResonance(patterns, "itest.sine");
            assertNotNull("a RESONANCE event of itest.sine on drpp.patterns", onPatterns);
            assertEquals(0.125, onPatterns.value(PatternEvent.FREQUENCY), 0.01);
            assertTrue("SNR " + onPatterns.value(PatternEvent.SNR), onPatterns.value(PatternEvent.SNR) > 20);
            PatternEvent onAdp = awaitResonance(adp, "itest.sine");
            assertNotNull("the RESONANCE event also on adp.input through the drpp.patterns->adp.input link", onAdp);
        }
        waitFor(() -> drpp.state().processed() >= 1024, () -> "1024 samples processed: " + drpp.state());
        waitFor(() -> drpp.state().skipped() >= skippedBefore + 1, () -> "the text payload counted as skipped: " + drpp.state());
        assertEquals(drpp.health().summary(), HealthStatus.UP, drpp.health().status());
        assertTrue(drpp.state().toString(), drpp.state().lagNanos() >= 0);

        // EMS modulation reaches DRPP through ems.modulation -> drpp.modulation: high arousal lowers thresholds
        waitFor(() -> {
            bus.publish(PhasePacket.of(new Modulation("itest", new Pad(0, 1, 0), "fear", 1, 0), ClogicChannels.EMS_MODULATION,
                    RoutingMetadata.defaults(ComponentId.SYSTEM)));
            sleep(100);
            return drpp.metrics().getOrDefault("threshold.factor", 1.0) < 0.6;
        }, () -> "DRPP's threshold factor lowered by an aroused Modulation: " + drpp.metrics());

        // EGC's decisions reach DRPP through egc.decisions -> drpp.governance: a rate change and a switch-off
        bus.publish(PhasePacket.of(new GovernanceDecision("drpp", "ksg", GovernanceAction.SET_RATE, 2, "itest", 0),
                ClogicChannels.EGC_DECISIONS, RoutingMetadata.defaults(ComponentId.EGC)));
        bus.publish(PhasePacket.of(new GovernanceDecision("drpp", "motifs", GovernanceAction.DISABLE, 0, "itest", 0),
                ClogicChannels.EGC_DECISIONS, RoutingMetadata.defaults(ComponentId.EGC)));
        waitFor(() -> {
            try {
                String s = execute("csf:drpp-streams");
                return s.contains("ksg=2.0") && s.contains("motifs=false");
            } catch (Exception e) {
                return false;
            }
        }, "DRPP's ksg rate 2.0 and motifs off after two governance decisions on egc.decisions");
        bus.publish(PhasePacket.of(new GovernanceDecision("drpp", "*", GovernanceAction.ENABLE, 0, "itest", 0),
                ClogicChannels.EGC_DECISIONS, RoutingMetadata.defaults(ComponentId.EGC)));

        assertContains(execute("csf:te --k 2 1,1,0,0,1 1,1,1,0,0"), "TE = 0.666667 bits");
        assertContains(execute("csf:te 0,0,1,1,0,0,1,1,0 1,0,0,1,1,0,0,1,1"), "TE = 1.000000 bits");
        assertContains(executeExpectingError("csf:te 1,2,x 1,2,3"), "source value 3 'x' is not a number");
        assertContains(executeExpectingError("csf:te --k 0 1,0,1 1,0,1"), "target history k");
        String streams = execute("csf:drpp-streams");
        assertContains(streams, "itest.sine");
        assertContains(execute("csf:drpp-patterns --kind resonance"), "itest.sine");
    }

    @Test
    public void stoppingDrppLeavesEmsRunningAndARestartedDrppHasItsStateBack() throws Exception {
        EventBus bus = service(EventBus.class);
        CognitiveModule drpp = service(CognitiveModule.class, DRPP);
        waitFor(() -> drpp.inputChannels().contains(ClogicChannels.DRPP_INPUT), "DRPP subscribed to drpp.input");
        long before = drpp.state().processed();
        publishSine(bus, "itest.restart", 300);
        waitFor(() -> drpp.state().processed() >= before + 300, () -> "300 more samples processed: " + drpp.state());
        long processed = drpp.state().processed();

        Bundle bundle = bundle("io.chronofabric.clogic.drpp");
        bundle.stop();
        AffectModule ems = service(AffectModule.class);
        long emsProcessed = ems.state().processed();
        ems.appraise(AppraisalEvent.of("task", 1, 0.1));
        waitFor(() -> ems.state().processed() > emsProcessed, () -> "EMS still appraising with DRPP stopped: " + ems.state());
        assertTrue(ems.health().summary(), ems.health().status() != HealthStatus.DOWN);

        bundle.start();
        CognitiveModule again = service(CognitiveModule.class, DRPP);
        waitFor(() -> again.state().processed() >= processed, () -> "DRPP's processed count back after the restart: " + again.state()
                + " (was " + processed + ")");
        assertContains(execute("csf:drpp-streams"), "itest.restart");
        assertContains(execute("csf:drpp-patterns --kind resonance"), "itest.restart"); // recent events kept in the snapshot
        long after = again.state().processed();
        publishSine(bus, "itest.restart", 10);
        waitFor(() -> again.state().processed() >= after + 10, "the restarted DRPP processing again");
    }
}
