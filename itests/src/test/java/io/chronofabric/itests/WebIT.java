package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The dashboard (io.chronofabric.web) in the real distribution: the page and its JSON, SSE, the
 * JSON errors, writes refused without a Karaf login, and the page in headless Chromium (skipped,
 * with a message, where /usr/bin/chromium, node or itests/browser/node_modules is missing).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebIT extends ChronoFabricTestSupport {

    /** A line-per-event reply: status, body and the WWW-Authenticate header. */
    record Reply(int status, String body, String challenge) {
    }

    @Override
    @Configuration
    public Option[] config() {
        // resolved in the test JVM (working directory itests/), read in the container
        File browser = new File("browser").getAbsoluteFile();
        File shot = new File("target/dashboard.png").getAbsoluteFile();
        return OptionUtils.combine(super.config(),
                systemProperty("itest.browser.dir").value(browser.getPath()),
                systemProperty("itest.browser.screenshot").value(shot.getPath()),
                // one admin and one viewer login for the write checks (the distribution ships none)
                editConfigurationFilePut("etc/users.properties", "webadmin", "itest-secret,_g_:admingroup"),
                editConfigurationFilePut("etc/users.properties", "webviewer", "itest-secret,viewer"));
    }

    private static Reply http(String method, String path, String user) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + WEB_PORT + path).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        if (user != null) {
            c.setRequestProperty("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString((user + ":itest-secret").getBytes(StandardCharsets.UTF_8)));
        }
        int code = c.getResponseCode();
        InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Reply(code, body, c.getHeaderField("WWW-Authenticate"));
    }

    private void waitForDashboard() {
        String[] last = {""};
        waitFor(() -> {
            try {
                last[0] = httpGet("/chronofabric/api/status");
                return last[0].contains("\"bus\":{\"present\":true");
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            }
        }, () -> "/chronofabric/api/status with the bus; last answer: " + last[0]);
    }

    @Test
    public void pageAndStatusAnswer() throws Exception {
        waitForDashboard();
        assertContains(httpGet("/chronofabric/"), "<title>ChronoFabric dashboard</title>");
        assertContains(httpGet("/chronofabric/vendor/uPlot.iife.min.js"), "uPlot");
        assertContains(httpGet("/chronofabric/app.js"), "EventSource");
        String status = httpGet("/chronofabric/api/status");
        for (String port : new String[] {"bus", "time-source", "hlc", "scheduler", "time-oracle", "ledger"}) {
            assertContains(status, "{\"port\":\"" + port + "\"");
        }
        assertContains(status, "\"ledger\":{\"present\":true,\"size\":");
        assertContains(status, "\"oracle\":{\"present\":true,\"hint\":");

        EventBus bus = service(EventBus.class);
        try (Receiver<Object> r = bus.subscribeChannel("itest.web")) {
            for (int i = 0; i < 5; i++) {
                bus.publish(PhasePacket.builder("w" + i).channel("itest.web").build());
            }
            String subs = httpGet("/chronofabric/api/subscriptions");
            assertContains(subs, "\"channel\":\"itest.web\"");
            assertContains(httpGet("/chronofabric/api/bus"), "\"itest.web\"");
        }
    }

    @Test
    public void serverSentEventsSendASnapshotAndADisconnectedClientIsFreed() throws Exception {
        waitForDashboard();
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + WEB_PORT + "/chronofabric/api/events")
                .openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(15000);
        assertEquals(200, c.getResponseCode());
        assertContains(c.getContentType(), "text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean event = false;
            String data = null;
            while ((line = in.readLine()) != null) {
                if (line.equals("event: snapshot")) {
                    event = true;
                } else if (event && line.startsWith("data: ")) {
                    data = line;
                    break;
                }
            }
            assertTrue("an SSE snapshot event", data != null);
            assertContains(data, "\"ports\":[");
            waitFor(() -> sseThreadAlive(), "the SSE ticker thread while a client watches");
        }
        c.disconnect();
        // the hub drops the client at its next failed write and stops its thread when nobody watches
        waitFor(() -> !sseThreadAlive(), "the SSE ticker thread gone after the only client disconnected");
    }

    private static boolean sseThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("chronofabric-web-sse") && t.isAlive());
    }

    @Test
    public void errorsAreJson() throws Exception {
        waitForDashboard();
        Reply unknown = http("GET", "/chronofabric/api/nope", null);
        assertEquals(unknown.body(), 404, unknown.status());
        assertContains(unknown.body(), "\"error\":\"no API endpoint /nope");
        Reply bad = http("GET", "/chronofabric/api/subscriptions?limit=lots", null);
        assertEquals(bad.body(), 400, bad.status());
        assertContains(bad.body(), "query parameter 'limit'");
        Reply verify = http("GET", "/chronofabric/api/ledger?verify=perhaps", null);
        assertEquals(400, verify.status());
        assertContains(verify.body(), "'verify'");
        Reply write = http("POST", "/chronofabric/api/status", null);
        assertEquals(405, write.status());
    }

    @Test
    public void writesNeedAnAdminLogin() throws Exception {
        waitForDashboard();
        Reply anonymous = http("POST", "/chronofabric/api/publish?count=3&channel=itest.web.write", null);
        assertEquals(anonymous.body(), 401, anonymous.status());
        assertTrue("a Basic challenge: " + anonymous.challenge(),
                anonymous.challenge() != null && anonymous.challenge().startsWith("Basic realm=\"karaf\""));
        Reply viewer = http("POST", "/chronofabric/api/publish?count=3&channel=itest.web.write", "webviewer");
        assertEquals(viewer.body(), 403, viewer.status());
        assertTrue(!httpGet("/chronofabric/api/bus").contains("itest.web.write"));

        Reply admin = http("POST", "/chronofabric/api/publish?count=3&channel=itest.web.write", "webadmin");
        assertEquals(admin.body(), 200, admin.status());
        assertEquals("{\"published\":3,\"channel\":\"itest.web.write\"}", admin.body());
    }

    @Test
    public void dashboardInHeadlessChromium() throws Exception {
        File dir = new File(System.getProperty("itest.browser.dir", "browser"));
        File chromium = new File(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        String missing = !chromium.canExecute() ? chromium + " (apt-get install -y chromium)"
                : !new File(dir, "node_modules/playwright-core/package.json").isFile()
                        ? dir + "/node_modules/playwright-core (npm ci in itests/browser)"
                        : !onPath("node") ? "node on the PATH" : null;
        if (missing != null) {
            String msg = "WebIT.dashboardInHeadlessChromium SKIPPED: no " + missing + "; .ci/run installs both";
            System.out.println(msg);
            System.err.println(msg);
            return;
        }
        waitForDashboard();
        String shot = System.getProperty("itest.browser.screenshot", "target/dashboard.png");
        Process p = new ProcessBuilder("node", "dashboard.test.mjs",
                "http://127.0.0.1:" + WEB_PORT + "/chronofabric/", shot)
                .directory(dir).redirectErrorStream(true).start();
        EventBus bus = service(EventBus.class);
        StringBuilder out = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                OutputStream toNode = p.getOutputStream();
                Receiver<Object> queue = bus.subscribeChannel("itest.browser")) {
            String line;
            while ((line = in.readLine()) != null) {
                out.append(line).append('\n');
                if (line.equals("publish")) {
                    // spread over two SSE ticks so the plot gets a rate, not one spike
                    int n = 0;
                    for (int round = 0; round < 4; round++) {
                        for (int i = 0; i < 500; i++) {
                            bus.publish(PhasePacket.builder("b" + n++).channel("itest.browser").build());
                        }
                        sleep(300);
                    }
                    toNode.write(("published " + n + "\n").getBytes(StandardCharsets.UTF_8));
                    toNode.flush();
                }
            }
        } finally {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        System.out.println("WebIT browser test:\n" + out);
        assertEquals("node dashboard.test.mjs exit status; its output:\n" + out, 0, p.exitValue());
        assertContains(out.toString(), "PASS");
        assertTrue("screenshot " + shot, new File(shot).length() > 0);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (new File(d, program).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
