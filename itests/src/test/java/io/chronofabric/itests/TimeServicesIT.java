package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.SimulatedTimeSource;
import io.chronofabric.api.time.TimeSource;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The time bundle inside the real distribution: services, console, configuration, restart. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TimeServicesIT extends ChronoFabricTestSupport {

    private static final String PID = "io.chronofabric.time";

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Test
    public void timeServicesAreRegisteredAndTheConsoleAnswers() throws Exception {
        TimeSource time = service(TimeSource.class);
        HlcClock hlc = service(HlcClock.class);
        assertEquals("system", time.kind());
        assertTrue(hlc.now().physical() > 0);

        String status = execute("csf:status");
        assertContains(status, "time-source");
        assertContains(status, "io.chronofabric.time");
        assertContains(status, "hlc");
        assertContains(status, "UP node 0");
        assertContains(status, "absent"); // ledger, consensus... are later issues

        String timeOut = execute("csf:time");
        assertContains(timeOut, "Source          : system");
        assertContains(timeOut, "Now (UTC)");

        String hlcOut = execute("csf:hlc");
        assertContains(hlcOut, "Node id         : 0");
        assertContains(hlcOut, "Max offset      : 500.00 ms");
        assertContains(hlcOut, "Refused updates : 0");
    }

    /** The house rule: no bundle imports another bundle's private packages; they meet through API services. */
    @Test
    public void noFabricBundleImportsAnotherBundlesInternals() {
        int checked = 0;
        for (Bundle b : bundleContext.getBundles()) {
            String name = b.getSymbolicName();
            if (name == null || !name.startsWith("io.chronofabric.") || name.startsWith("io.chronofabric.itests")) {
                continue;
            }
            String imports = String.valueOf(b.getHeaders().get("Import-Package"));
            assertFalse(name + " imports a private package: " + imports, imports.contains(".internal"));
            assertEquals(name + " is active", Bundle.ACTIVE, b.getState());
            checked++;
        }
        assertTrue("fabric bundles found: " + checked, checked >= 6);
    }

    @Test
    public void configurationSwitchesSourceAtRunTimeAndBadValuesAreRefused() throws Exception {
        Configuration cfg = configurationAdmin.getConfiguration(PID, "?");
        try {
            switchSource(cfg, "simulated", "node.id", "12", "simulated.start.ns", "5000000000000");
            SimulatedTimeSource simulated = service(SimulatedTimeSource.class);
            HlcClock hlc = service(HlcClock.class);
            waitFor(() -> hlc.nodeId() == 12, "node id 12 applied");
            long before = simulated.nowNanos();
            String advanced = execute("csf:time --advance 5ms");
            assertContains(advanced, "Source          : simulated");
            assertEquals(before + 5_000_000L, simulated.nowNanos());

            // a bad value is refused and the last good configuration stays in force
            update(cfg, "source", "atomic", "node.id", "70000", "simulated.start.ns", "5000000000000");
            sleep(1500);
            assertEquals("simulated", service(TimeSource.class).kind());
            assertEquals(12, hlc.nodeId());

            // a remote timestamp far ahead is refused and counted
            String ahead = (System.currentTimeMillis() * 1_000_000L + 60_000_000_000L) + ".0@3";
            String refused = executeExpectingError("csf:hlc --update " + ahead);
            assertContains(refused, "Temporal violation");
            assertContains(refused, "node 3");
            assertEquals(1L, hlc.refusedUpdates());
        } finally {
            switchSource(cfg, "system", "node.id", "0");
        }
    }

    @Test
    public void hlcStaysMonotonicAcrossARestartOfTheTimeBundle() throws Exception {
        Configuration cfg = configurationAdmin.getConfiguration(PID, "?");
        Bundle time = null;
        boolean restarted = false;
        try {
            // simulated time that restarts far in the past: only the persisted mark keeps order
            switchSource(cfg, "simulated", "simulated.start.ns", "1000000000000");
            HlcClock before = service(HlcClock.class);
            LogicalTime t1 = before.now();

            time = bundle("io.chronofabric.time");
            time.stop();
            assertEquals(Bundle.RESOLVED, time.getState());
            time.start();
            restarted = true;

            HlcClock after = service(HlcClock.class);
            LogicalTime t2 = after.now();
            assertTrue("HLC after restart " + t2 + " must follow " + t1, t2.compareTo(t1) > 0);
            assertTrue("simulated time restarted in the past", service(TimeSource.class).nowNanos() < t1.physical());
        } finally {
            if (time != null && !restarted) {
                time.start();
            }
            switchSource(cfg, "system");
        }
    }


    /** Applies a configuration and waits until exactly one TimeSource, of the wanted kind, is registered. */
    private void switchSource(Configuration cfg, String kind, String... more) throws Exception {
        String[] keyValues = new String[more.length + 2];
        keyValues[0] = "source";
        keyValues[1] = kind;
        System.arraycopy(more, 0, keyValues, 2, more.length);
        update(cfg, keyValues);
        waitFor(() -> {
            try {
                var refs = bundleContext.getServiceReferences(TimeSource.class, null);
                return refs.size() == 1 && kind.equals(refs.iterator().next().getProperty(TimeSource.KIND_PROPERTY));
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        }, "exactly one " + kind + " time source");
    }

    private static void update(Configuration cfg, String... keyValues) throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        cfg.update(props);
    }

}
