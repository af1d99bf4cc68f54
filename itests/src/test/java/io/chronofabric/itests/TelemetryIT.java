package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Metrics, health checks and MBeans inside the real distribution: health and management are
 * installed as a user would ({@code feature:install}), /metrics is scraped over HTTP before and
 * after packets are published, a stopped port shows in {@code hc:exec} and in
 * {@code /system/health}, and the port MBeans reach the platform MBean server through Karaf's
 * management feature.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TelemetryIT extends ChronoFabricTestSupport {

    private static final String CHANNEL = "itest.telemetry";

    private static volatile boolean installed;

    @Test
    public void metricsAnswerWithTheFabricFamiliesAndMoveWithTraffic() throws Exception {
        install();
        String first = awaitMetrics();
        for (String family : new String[] {"# TYPE chronofabric_bus_published_total counter",
            "# TYPE chronofabric_bus_delivery_latency_seconds summary",
            "chronofabric_bus_delivery_latency_seconds{quantile=\"0.99\"}", "chronofabric_scheduler_load",
            "chronofabric_oracle_hint", "chronofabric_ledger_entries", "chronofabric_hlc_refused_updates_total",
            "chronofabric_deadletter_entries", "chronofabric_port_health_status{port=\"bus\"", "jvm_memory_used_bytes"}) {
            assertContains(first, family);
        }
        double before = value(first, "chronofabric_bus_published_total");

        EventBus bus = service(EventBus.class);
        try (Receiver<Object> receiver = bus.subscribeChannel(CHANNEL)) {
            for (int i = 0; i < 25; i++) {
                bus.publish(PhasePacket.builder("m-" + i).channel(CHANNEL).build());
            }
            for (int i = 0; i < 25; i++) {
                assertNotNull("packet " + i + " not delivered", receiver.take(10, TimeUnit.SECONDS));
            }
            String after = get("/metrics").body;
            assertTrue("published went from " + before + " to " + value(after, "chronofabric_bus_published_total"),
                    value(after, "chronofabric_bus_published_total") >= before + 25);
            assertContains(after, "channel=\"" + CHANNEL + "\"");
        }
        Response sub = get("/metrics/anything");
        assertEquals("a path under /metrics: " + sub.body, 404, sub.code);
    }

    @Test
    public void healthReportsAStoppedRequiredPortOverTheConsoleAndHttp() throws Exception {
        install();
        String healthy = hcExec();
        assertContains(healthy, "ChronoFabric ledger");
        assertContains(healthy, "ChronoFabric bus");
        awaitHealthHttp(r -> r.body.contains("{\"name\":\"ChronoFabric ledger\",\"status\":\"OK\""));

        configure("io.chronofabric.health", "required.ports", "ledger");
        Bundle ledger = bundle("io.chronofabric.ledger");
        ledger.stop();
        try {
            // the configuration change re-registers the checks asynchronously: wait for the CRITICAL verdict
            String[] last = new String[1];
            waitFor(() -> {
                last[0] = hcExecUnchecked();
                return last[0].contains("No ledger service is registered") && last[0].contains("CRITICAL");
            }, () -> "hc:exec to report the stopped, required ledger as CRITICAL; last:\n" + last[0]);
            assertContains(get("/metrics").body, "chronofabric_port_present{port=\"ledger\"} 0.0");
            Response down = awaitHealthHttp(r -> r.code == 503);
            assertContains(down.body, "\"overallResult\":\"CRITICAL\"");
            assertContains(down.body, "{\"name\":\"ChronoFabric ledger\",\"status\":\"CRITICAL\"");
            assertContains(down.body, "No ledger service is registered");
        } finally {
            ledger.start();
        }
        waitFor(() -> get("/metrics").body.contains("chronofabric_port_present{port=\"ledger\"} 1.0"), "the ledger back in /metrics");
        awaitHealthHttp(r -> r.body.contains("{\"name\":\"ChronoFabric ledger\",\"status\":\"OK\""));
    }

    @Test
    public void portMBeansAreRegisteredInThePlatformMBeanServer() throws Exception {
        install();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName busName = new ObjectName("io.chronofabric:type=Bus");
        waitFor(() -> server.isRegistered(busName), () -> "io.chronofabric:type=Bus in the MBean server; registered: "
                + server.queryNames(new ObjectNameUnchecked("io.chronofabric:*").get(), null));
        for (String type : new String[] {"Scheduler", "Ledger", "HlcClock", "TimeSource", "DeadLetters", "TimeOracle"}) {
            ObjectName n = new ObjectName("io.chronofabric:type=" + type);
            waitFor(() -> server.isRegistered(n), n::toString);
        }
        long published = (Long) server.getAttribute(busName, "Published");
        service(EventBus.class).publish(PhasePacket.builder("jmx").channel(CHANNEL + ".jmx").build());
        waitFor(() -> {
            try {
                return (Long) server.getAttribute(busName, "Published") > published;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "the Published attribute to move");
        String health = (String) server.getAttribute(busName, "Health");
        assertTrue(health, health.equals("UP") || health.equals("DEGRADED"));
    }

    @Test
    public void aTracedPacketsSpansShowInTheConsoleAndOverHttp() throws Exception {
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put(io.chronofabric.api.bus.PacketHandler.CHANNEL, "itest.trace");
        java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(1);
        io.chronofabric.api.bus.PacketHandler<Object> h = p -> handled.countDown();
        org.osgi.framework.ServiceRegistration<?> reg = bundleContext.registerService(io.chronofabric.api.bus.PacketHandler.class, h,
                props);
        try {
            waitFor(() -> {
                try {
                    return service(EventBus.class).activeSubscriptions().stream().anyMatch(i -> "itest.trace".equals(i.channel()));
                } catch (InterruptedException e) {
                    return false;
                }
            }, "the test handler subscribed to itest.trace");
            String out = execute("csf:publish --trace itest.trace traced-hello");
            Matcher m = Pattern.compile("trace ([0-9a-f]{32})").matcher(out);
            assertTrue("no trace id in: " + out, m.find());
            String traceId = m.group(1);
            assertTrue("handler not called", handled.await(10, TimeUnit.SECONDS));
            String[] tree = new String[1];
            waitFor(() -> {
                try {
                    tree[0] = execute("csf:trace " + traceId);
                    return tree[0].contains("handler");
                } catch (Exception e) {
                    return false;
                }
            }, () -> "csf:trace " + traceId + " to show the handler span; last: " + tree[0]);
            assertContains(tree[0], "publish");
            assertContains(tree[0], "deliver");
            assertContains(tree[0], "channel itest.trace");
            assertContains(execute("csf:traces"), traceId);
            Response http = get("/chronofabric/api/traces?id=" + traceId);
            assertEquals(http.body, 200, http.code);
            assertContains(http.body, "\"name\":\"handler\"");
            assertEquals(400, get("/chronofabric/api/traces?id=nothex").code);
        } finally {
            reg.unregister();
        }
    }

    // what feature:install does, without refreshing the probe's wiring
    private synchronized void install() throws Exception {
        if (!installed) {
            service(FeaturesService.class).installFeatures(new LinkedHashSet<>(List.of("chronofabric-health", "management")),
                    EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            installed = true;
        }
    }

    /**
     * Updates a configuration once fileinstall has read the feature's etc/ file for it (an update
     * before that would be overwritten when it does).
     */
    private void configure(String pid, String... keyValues) throws Exception {
        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        waitFor(() -> {
            try {
                Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
                return found != null && found[0].getProperties() != null
                        && found[0].getProperties().get("felix.fileinstall.filename") != null;
            } catch (Exception e) {
                return false;
            }
        }, "fileinstall to read etc/" + pid + ".cfg");
        Configuration config = admin.getConfiguration(pid, "?");
        Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        config.update(props);
    }

    /** hc:exec as a console user runs it; waits for the command to be registered first. */
    private String hcExec() throws Exception {
        long end = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            boolean found = sessionFactory.getRegistry().getCommands().stream()
                    .anyMatch(c -> c.getScope().equals("hc") && c.getName().equals("exec"));
            if (found) {
                return execute("hc:exec chronofabric");
            }
            sleep(100);
        }
        throw new AssertionError("No hc:exec command; the console has the scopes " + sessionFactory.getRegistry().getCommands()
                .stream().map(c -> c.getScope()).distinct().sorted().toList());
    }

    private String hcExecUnchecked() {
        try {
            return hcExec();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Response awaitHealthHttp(java.util.function.Predicate<Response> done) {
        Response[] last = new Response[1];
        waitFor(() -> {
            try {
                last[0] = get("/system/health/chronofabric.json");
                return done.test(last[0]);
            } catch (UncheckedIOException e) {
                return false;
            }
        }, () -> "/system/health/chronofabric.json; last: " + (last[0] == null ? "no answer" : last[0].code + " " + last[0].body));
        return last[0];
    }

    private String awaitMetrics() {
        String[] body = new String[1];
        waitFor(() -> {
            try {
                body[0] = get("/metrics").body;
                return body[0].contains("chronofabric_bus_published_total");
            } catch (UncheckedIOException e) {
                return false;
            }
        }, () -> "/metrics on port " + WEB_PORT + " to answer with the bus families; last: " + body[0]);
        return body[0];
    }

    record Response(int code, String body) {
    }

    private static Response get(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + WEB_PORT + path).openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(10000);
            int code = c.getResponseCode();
            try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
                return new Response(code, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double value(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("No sample " + sample + " in:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    private record ObjectNameUnchecked(String name) {
        ObjectName get() {
            try {
                return new ObjectName(name);
            } catch (javax.management.MalformedObjectNameException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
