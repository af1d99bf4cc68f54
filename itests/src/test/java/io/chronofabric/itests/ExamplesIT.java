package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.api.patterns.EventStore;
import io.chronofabric.api.patterns.RequestFailedException;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.StoredEvent;
import java.time.Duration;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The examples feature {@code chronofabric-examples} (installed offline from the distribution's
 * system/ folder, as {@code feature:install chronofabric-examples} does): the request/reply price
 * quote service, the event-sourced accounts with their CQRS read model, driven over the bus
 * through the RequestReply service as any client would, and the sensor pipeline through DRPP and EGC.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExamplesIT extends ChronoFabricTestSupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Before
    public void installExamples() throws Exception {
        service(FeaturesService.class).installFeature("chronofabric-examples", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        EventBus bus = service(EventBus.class);
        for (String channel : new String[] {"example.quote", "example.account.commands", "example.account.queries", "example.account.events",
            "example.sensors.status"}) {
            waitFor(() -> bus.subscriberCount(channel) > 0, "a subscriber of " + channel);
        }
    }

    private String request(String channel, String text) throws Exception {
        return service(RequestReply.class).request(channel, text, String.class, TIMEOUT).toCompletableFuture()
                .get(60, TimeUnit.SECONDS).payload();
    }

    private String requestExpectingFailure(String channel, String text) throws Exception {
        try {
            String reply = request(channel, text);
            fail("request '" + text + "' on " + channel + " should have failed, got " + reply);
            return null;
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof RequestFailedException);
            return e.getCause().getMessage();
        }
    }

    @Test
    public void theQuoteServiceAnswersPricesRefusesUnknownItemsAndFollowsItsConfiguration() throws Exception {
        assertEquals("3 x widget = 7.50 EUR", request("example.quote", "widget 3"));
        assertEquals("1 x gadget = 10.00 EUR", request("example.quote", "gadget"));
        assertContains(requestExpectingFailure("example.quote", "sprocket 2"),
                "No price for 'sprocket': the price list has gadget, gizmo, widget");

        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration("io.chronofabric.example.requestreply", "?");
        Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        props.put("prices", "widget=3.00, sprocket=0.25");
        props.put("currency", "USD");
        config.update(props);
        waitFor(() -> {
            try {
                return "2 x sprocket = 0.50 USD".equals(request("example.quote", "sprocket 2"));
            } catch (Exception e) {
                return false; // the old price list still answers (sprocket unknown) until the update lands
            }
        }, "the new price list to answer");
        assertEquals("2 x widget = 6.00 USD", request("example.quote", "widget 2"));
    }

    @Test
    public void accountsAreEventSourcedAndTheReadModelIsRebuiltFromTheStore() throws Exception {
        String id = "it-" + Long.toHexString(System.nanoTime());
        assertEquals("Account " + id + " at version 1: balance 0", request("example.account.commands", "open " + id));
        assertEquals("Account " + id + " at version 2: balance 100", request("example.account.commands", "deposit " + id + " 100"));
        assertEquals("Account " + id + " at version 3: balance 70", request("example.account.commands", "withdraw " + id + " 30"));
        assertContains(requestExpectingFailure("example.account.commands", "withdraw " + id + " 500"),
                "Account '" + id + "' has 70, cannot withdraw 500");

        List<StoredEvent> events = service(EventStore.class).read("account-" + id, 1);
        assertEquals(List.of("AccountOpened", "MoneyDeposited", "MoneyWithdrawn"), events.stream().map(StoredEvent::type).toList());

        // the read model follows the published events (eventually consistent)
        String expected = "Account " + id + " at version 3: balance 70";
        waitFor(() -> expected.equals(queryOrNull("balance " + id)), () -> "the read model to show '" + expected + "', it shows "
                + queryOrNull("balance " + id));
        assertContains(request("example.account.queries", "accounts"), id + "=70");

        // a restarted read model starts empty and rebuilds itself from the event store
        Bundle example = bundle("io.chronofabric.example.eventsourcing");
        example.stop();
        EventBus bus = service(EventBus.class);
        waitFor(() -> bus.subscriberCount("example.account.queries") == 0, "the stopped read model's query subscription to go");
        example.start();
        waitFor(() -> bus.subscriberCount("example.account.queries") > 0, "the restarted read model's query subscription");
        assertEquals(expected, request("example.account.queries", "balance " + id));
        assertEquals("Account " + id + " at version 4: balance 75", request("example.account.commands", "deposit " + id + " 5"));
    }

    @Test
    public void theSensorPipelineFeedsDrppAndEgcAndSlowsDownWhileItsBoundsSpecIsViolated() throws Exception {
        // the feature appended the example's spec to EGC's configuration (the other keys as they were)
        Dictionary<String, Object> egc = service(ConfigurationAdmin.class).getConfiguration("io.chronofabric.clogic.egc", "?").getProperties();
        assertContains(String.valueOf(egc.get("spec.sensor_bounds")), "abs(sensor.c) <= 3");
        assertTrue("EGC keeps its own spec", egc.get("spec.bus_latency") != null);

        EventBus bus = service(EventBus.class);
        try (Receiver<Object> patterns = bus.subscribeChannel(ClogicChannels.DRPP_PATTERNS);
                Receiver<Object> decisions = bus.subscribeChannel(ClogicChannels.EGC_DECISIONS)) {
            // 20 samples/s of each sensor (the feature's default), coupled natural frequencies moved from 0.9, 1.0, 1.1 Hz
            // to 1.9, 2.0, 2.1 Hz: they lock at 2.0 Hz, a new spectral line that DRPP (sample.rate 1: frequencies in cycles
            // per sample) reports at 0.1 (an earlier line, 0.05, may come first)
            configureSensors("frequencies.hz", "1.9, 2.0, 2.1", "drift.sensor", "", "drift.per.second", "0");
            PatternEvent resonance = await(patterns, PatternEvent.class, e -> e.kind() == PatternKind.RESONANCE
                    && e.streams().get(0).startsWith("sensor.") && Math.abs(e.value(PatternEvent.FREQUENCY) * 20 - 2.0) < 0.2,
                    "a DRPP RESONANCE of a sensor at 2.0 +- 0.2 Hz (0.1 cycles per sample at 20 samples/s)");
            assertTrue(resonance.toString(), resonance.value(PatternEvent.SNR) > 20);
            String inBounds = awaitStatus("status", "DRPP resonance", "the example to report the resonance");
            assertContains(inBounds, "20.00 samples/s each");
            assertContains(inBounds, "Suspect sensors: none");

            // sensor.c drifts out of the spec's bounds (|x| <= 3): EGC alerts, the example slows down to 20 x 0.25
            configureSensors("drift.sensor", "sensor.c", "drift.per.second", "1.0");
            GovernanceDecision violated = await(decisions, GovernanceDecision.class, d -> d.action() == GovernanceAction.ALERT
                    && d.value() > 0 && d.reason().contains("spec 'sensor_bounds' violated"), "EGC's ALERT for sensor_bounds");
            assertEquals(GovernanceDecision.ALL, violated.module());
            awaitStatus("rate", "5.00", "the sensors slowed down");
            assertContains(sensorsOrNull("status"), "Slowed down by EGC: sensor_bounds violated");
            // DRPP sees sensor.c's level change, and the example flags it
            awaitStatus("status", "sensor.c: changepoint", "sensor.c suspect after a DRPP changepoint");

            // the drift stops (the simulation restarts in bounds): EGC's recovery brings the full rate back
            configureSensors("drift.sensor", "", "drift.per.second", "0");
            await(decisions, GovernanceDecision.class, d -> d.action() == GovernanceAction.ALERT && d.value() == 0
                    && d.reason().contains("spec 'sensor_bounds' recovered"), "EGC's recovery of sensor_bounds");
            awaitStatus("rate", "20.00", "the sensors back at full rate");
        }
    }

    /**
     * Updates the example's configuration and checks that it keeps the values for two seconds: one
     * updated right after the feature created its .cfg file can be set back to the file's content
     * when Karaf's file installer first scans that file; it is then updated again.
     */
    private void configureSensors(String... keyValues) throws Exception {
        String pid = "io.chronofabric.example.sensorpipeline";
        Configuration config = service(ConfigurationAdmin.class).getConfiguration(pid, "?");
        long end = System.currentTimeMillis() + 60_000;
        int kept = 0;
        while (System.currentTimeMillis() < end) {
            Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
            boolean current = true;
            for (int i = 0; i < keyValues.length; i += 2) {
                current &= keyValues[i + 1].equals(String.valueOf(props.get(keyValues[i])));
            }
            if (current && ++kept == 5) {
                return;
            }
            if (!current) {
                kept = 0;
                for (int i = 0; i < keyValues.length; i += 2) {
                    props.put(keyValues[i], keyValues[i + 1]);
                }
                config.update(props);
            }
            sleep(500);
        }
        fail("The configuration " + pid + " did not keep " + java.util.Arrays.toString(keyValues) + ": " + config.getProperties());
    }

    /** Asks the example until its answer to {@code request} contains {@code fragment} (60 s); returns that answer. */
    private String awaitStatus(String request, String fragment, String what) {
        long start = System.currentTimeMillis();
        String answer = "";
        int asked = 0;
        while (System.currentTimeMillis() - start < 60_000) {
            answer = sensorsOrNull(request);
            asked++;
            if (answer.contains(fragment)) {
                return answer;
            }
            sleep(200);
        }
        fail("Timed out waiting for " + what + " ('" + fragment + "' in the answer to " + request + ", asked " + asked
                + " times in " + (System.currentTimeMillis() - start) + " ms); the last answer: " + answer + "\nstatus: "
                + sensorsOrNull("status"));
        return null;
    }

    private String sensorsOrNull(String request) {
        try {
            return request("example.sensors.status", request);
        } catch (Exception e) {
            return "(no answer: " + e + ")";
        }
    }

    /** The first payload of that type on the receiver that matches, within 60 s; the failure names the last ones seen and the state. */
    private <T> T await(Receiver<Object> r, Class<T> type, Predicate<T> match, String what) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        java.util.ArrayDeque<String> seen = new java.util.ArrayDeque<>();
        int count = 0;
        while (System.currentTimeMillis() < end) {
            PhasePacket<Object> p = r.take(1, TimeUnit.SECONDS);
            if (p != null && type.isInstance(p.payload())) {
                if (match.test(type.cast(p.payload()))) {
                    return type.cast(p.payload());
                }
                count++;
                seen.addLast(String.valueOf(p.payload()));
                if (seen.size() > 8) {
                    seen.removeFirst();
                }
            }
        }
        fail("Timed out waiting for " + what + " (" + count + " other " + type.getSimpleName() + "s seen, the last: " + seen
                + ")\nexample: " + sensorsOrNull("status") + "\n" + execute("csf:drpp-streams") + "\n" + execute("csf:egc-specs"));
        return null;
    }

    private String queryOrNull(String query) {
        try {
            return request("example.account.queries", query);
        } catch (Exception e) {
            return null;
        }
    }
}
