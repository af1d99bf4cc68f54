package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.clogic.AffectModule;
import io.chronofabric.api.clogic.AppraisalEvent;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.ClogicCoordinator;
import io.chronofabric.api.clogic.LinkStatus;
import io.chronofabric.api.clogic.Modulation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The C-LOGIC coordinator and EMS in the distribution: the seed's links on the real bus, an event
 * on ems.input appraised into a Modulation that reaches drpp.modulation through the link, the
 * console commands, and EMS's state back after a restart of its bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClogicEmsIT extends ChronoFabricTestSupport {

    @Test
    public void anEventOnEmsInputReachesDrppModulationThroughTheCoordinatorsLink() throws Exception {
        ClogicCoordinator coordinator = service(ClogicCoordinator.class);
        EventBus bus = service(EventBus.class);
        service(AffectModule.class);
        waitFor(() -> coordinator.links().stream().allMatch(LinkStatus::active) && coordinator.links().size() == 8,
                () -> "the seed's 8 links active: " + coordinator.links());
        Map<String, Set<String>> links = bus.channelLinks();
        assertEquals(Set.of("drpp.modulation", "adp.modulation", "egc.modulation"), links.get(ClogicChannels.EMS_MODULATION));
        assertEquals(Set.of("adp.input"), links.get(ClogicChannels.DRPP_PATTERNS));
        assertEquals(Set.of("drpp.governance", "adp.governance", "ems.governance"), links.get(ClogicChannels.EGC_DECISIONS));

        try (Receiver<Object> drpp = bus.subscribeChannel(ClogicChannels.DRPP_MODULATION)) {
            bus.publish(PhasePacket.builder(AppraisalEvent.of("task", 1, 1)).channel(ClogicChannels.EMS_INPUT).build());
            Modulation joy = null;
            long end = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
            while (joy == null && System.currentTimeMillis() < end) {
                PhasePacket<Object> p = drpp.take(1, TimeUnit.SECONDS);
                if (p != null && p.payload() instanceof Modulation m && m.dominantEmotion().equals("joy")) {
                    joy = m;
                }
            }
            assertNotNull("a joyful Modulation on drpp.modulation", joy);
            assertEquals("ems", joy.source());
            assertTrue("intensity after the gain limiter " + joy.intensity(), joy.intensity() > 0 && joy.intensity() < 0.5 + 1e-9);
        }

        String clogic = execute("csf:clogic");
        assertContains(clogic, "ems");
        assertContains(clogic, "GAMYGDALA");
        assertContains(clogic, "ems.modulation->drpp.modulation");
        assertContains(clogic, "active");

        String event = execute("csf:ems-event stability 1 -0.25");
        assertContains(event, "Goal stability of self: likelihood 0.500 -> 0.250");
        assertContains(event, "fear");
        String state = execute("csf:ems-state");
        assertContains(state, "Goals (likelihood) task=1.000, stability=0.250");
        assertContains(executeExpectingError("csf:ems-event nope 1 0.5"), "Unknown goal 'nope' of agent 'self'");
        assertContains(executeExpectingError("csf:ems-event task 1.5 0.5"), "Utility of goal 'task' 1.5 is outside [-1.0, 1.0]");
    }

    @Test
    public void emsComesBackWithItsStateAfterARestart() throws Exception {
        AffectModule ems = service(AffectModule.class);
        ems.appraise(AppraisalEvent.of("governance", 1, -0.3));
        Map<String, Double> goals = ems.goals(AppraisalEvent.SELF);
        long processed = ems.state().processed();
        Bundle bundle = null;
        for (Bundle b : bundleContext.getBundles()) {
            if ("io.chronofabric.clogic.ems".equals(b.getSymbolicName())) {
                bundle = b;
            }
        }
        assertNotNull("the EMS bundle", bundle);
        bundle.stop();
        bundle.start();
        AffectModule again = service(AffectModule.class);
        assertEquals(goals, again.goals(AppraisalEvent.SELF));
        assertEquals(0.2, again.goals(AppraisalEvent.SELF).get("governance"), 1e-12);
        assertEquals(processed, again.state().processed());
        assertTrue(again.health().summary(), again.state().activity().contains("appraising"));
    }
}
