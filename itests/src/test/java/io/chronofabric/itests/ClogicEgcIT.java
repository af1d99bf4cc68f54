package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.Sample;
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
 * drpp.governance through the coordinator's links; the console commands.
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
