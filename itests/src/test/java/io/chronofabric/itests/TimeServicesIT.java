package io.chronofabric.itests;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

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
        assertThat(time.kind(), is("system"));
        assertThat(hlc.now().physical(), greaterThan(0L));

        String status = execute("csf:status");
        assertThat(status, containsString("time-source"));
        assertThat(status, containsString("io.chronofabric.time"));
        assertThat(status, containsString("hlc"));
        assertThat(status, containsString("UP node 0"));
        assertThat(status, containsString("absent")); // the bus, ledger... are later issues

        String timeOut = execute("csf:time");
        assertThat(timeOut, containsString("Source          : system"));
        assertThat(timeOut, containsString("Now (UTC)"));

        String hlcOut = execute("csf:hlc");
        assertThat(hlcOut, containsString("Node id         : 0"));
        assertThat(hlcOut, containsString("Max offset      : 500.00 ms"));
        assertThat(hlcOut, containsString("Refused updates : 0"));
    }

    @Test
    public void configurationSwitchesSourceAtRunTimeAndBadValuesAreRefused() throws Exception {
        Configuration cfg = configurationAdmin.getConfiguration(PID, "?");
        try {
            update(cfg, "source", "simulated", "node.id", "12", "simulated.start.ns", "5000000000000");
            SimulatedTimeSource simulated = service(SimulatedTimeSource.class);
            HlcClock hlc = service(HlcClock.class);
            waitUntil(() -> hlc.nodeId() == 12, "node id 12 applied");
            long before = simulated.nowNanos();
            String advanced = execute("csf:time --advance 5ms");
            assertThat(advanced, containsString("Source          : simulated"));
            assertThat(simulated.nowNanos(), is(before + 5_000_000L));

            // a bad value is refused and the last good configuration stays in force
            update(cfg, "source", "atomic", "node.id", "70000", "simulated.start.ns", "5000000000000");
            sleep(1500);
            assertThat(service(TimeSource.class).kind(), is("simulated"));
            assertThat(hlc.nodeId(), is(12));

            // a remote timestamp far ahead is refused and counted
            String refused = execute("csf:hlc --update " + (System.currentTimeMillis() * 1_000_000L + 60_000_000_000L) + ".0@3");
            assertThat(refused, not(containsString("Receive event")));
            assertThat(hlc.refusedUpdates(), is(1L));
        } finally {
            update(cfg, "source", "system", "node.id", "0");
            waitUntil(() -> {
                try {
                    return service(TimeSource.class).kind().equals("system");
                } catch (InterruptedException e) {
                    return false;
                }
            }, "system time source back");
        }
    }

    @Test
    public void hlcStaysMonotonicAcrossARestartOfTheTimeBundle() throws Exception {
        Configuration cfg = configurationAdmin.getConfiguration(PID, "?");
        try {
            // simulated time that restarts far in the past: only the persisted mark keeps order
            update(cfg, "source", "simulated", "simulated.start.ns", "1000000000000");
            service(SimulatedTimeSource.class);
            HlcClock before = service(HlcClock.class);
            LogicalTime t1 = before.now();

            Bundle time = bundle("io.chronofabric.time");
            time.stop();
            assertThat(time.getState(), is(Bundle.RESOLVED));
            time.start();

            HlcClock after = service(HlcClock.class);
            LogicalTime t2 = after.now();
            assertThat("HLC after restart " + t2 + " must follow " + t1, t2.compareTo(t1), greaterThan(0));
            assertThat(service(TimeSource.class).nowNanos() < t1.physical(), is(true));
        } finally {
            update(cfg, "source", "system");
        }
    }

    private static void update(Configuration cfg, String... keyValues) throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        cfg.update(props);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long end = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("Timed out waiting for " + what);
    }
}
