package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.streamBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.itests.subscriber.RecordingHandler;
import io.chronofabric.itests.subscriber.SubscriberActivator;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/** The bus inside the real distribution: whiteboard subscribers, restart, hot deploy, console. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BusIT extends ChronoFabricTestSupport {

    private static final String WHITEBOARD_CHANNEL = "itest.events";
    private static final String DEPLOYED_CHANNEL = "itest.deployed";

    /** A subscriber bundle: its own bundle, no DS, just a service registration. */
    static InputStream subscriberBundle(String name, String channel) {
        return TinyBundles.bundle()
                .addClass(RecordingHandler.class)
                .addClass(SubscriberActivator.class)
                .setHeader(Constants.BUNDLE_MANIFESTVERSION, "2")
                .setHeader(Constants.BUNDLE_SYMBOLICNAME, "io.chronofabric.itests." + name)
                .setHeader(Constants.BUNDLE_VERSION, "1.0.0")
                .setHeader(Constants.BUNDLE_ACTIVATOR, SubscriberActivator.class.getName())
                .setHeader(Constants.IMPORT_PACKAGE, "io.chronofabric.api.bus,io.chronofabric.api.core,org.osgi.framework")
                .setHeader("X-Subscriber-Name", name)
                .setHeader("X-Subscriber-Channel", channel)
                .build(TinyBundles.rawBuilder());
    }

    @Override
    @Configuration
    public Option[] config() {
        try {
            File deployable = new File("target/deployed-subscriber.jar").getAbsoluteFile();
            try (InputStream in = subscriberBundle("deployed", DEPLOYED_CHANNEL)) {
                Files.copy(in, deployable.toPath(), StandardCopyOption.REPLACE_EXISTING);
            }
            return OptionUtils.combine(super.config(),
                    streamBundle(subscriberBundle("whiteboard", WHITEBOARD_CHANNEL)),
                    systemProperty("itest.deployable").value(deployable.getPath()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Callable<List<String>> subscriber(String name) throws InterruptedException {
        return service(Callable.class, "(itest.subscriber=" + name + ")");
    }

    private void awaitSubscribed(String channel) throws InterruptedException {
        waitFor(() -> {
            try {
                return service(EventBus.class).activeSubscriptions().stream().map(SubscriptionInfo::channel)
                        .anyMatch(channel::equals);
            } catch (RuntimeException | InterruptedException e) {
                return false;
            }
        }, "a subscription on " + channel);
    }

    private void awaitReceived(Callable<List<String>> sub, int count) throws InterruptedException {
        waitFor(() -> {
            try {
                return sub.call().size() >= count;
            } catch (Exception e) {
                return false;
            }
        }, count + " packets received");
    }

    @Test
    public void whiteboardSubscriberKeepsReceivingAcrossARestartOfTheBus() throws Exception {
        Callable<List<String>> sub = subscriber("whiteboard");
        awaitSubscribed(WHITEBOARD_CHANNEL);
        EventBus bus = service(EventBus.class);
        for (int i = 0; i < 5; i++) {
            bus.publish(PhasePacket.builder("before-" + i).channel(WHITEBOARD_CHANNEL).build());
        }
        awaitReceived(sub, 5);

        Bundle busBundle = bundle("io.chronofabric.bus");
        busBundle.stop();
        busBundle.start();
        awaitSubscribed(WHITEBOARD_CHANNEL);
        EventBus restarted = service(EventBus.class);
        for (int i = 0; i < 5; i++) {
            restarted.publish(PhasePacket.builder("after-" + i).channel(WHITEBOARD_CHANNEL).build());
        }
        awaitReceived(sub, 10);
        List<String> got = sub.call();
        assertEquals("before-0", got.get(0));
        assertEquals("after-4", got.get(9));
        assertTrue("the subscriber bundle was never restarted", bundle("io.chronofabric.itests.whiteboard").getState() == Bundle.ACTIVE);
    }

    @Test
    public void metricsEndpointAnswersAndMovesWithPublishedPackets() throws Exception {
        EventBus bus = service(EventBus.class);
        String[] before = {""};
        waitFor(() -> {
            try {
                before[0] = httpGet("/metrics");
                return before[0].contains("chronofabric_bus_published_total");
            } catch (java.io.IOException e) {
                before[0] = e.toString();
                return false;
            }
        }, () -> "/metrics with the bus families; last answer: " + before[0]);
        double published = metric(before[0], "chronofabric_bus_published_total");
        for (int i = 0; i < 25; i++) {
            bus.publish(PhasePacket.builder("m" + i).channel("itest.metrics").build());
        }
        String after = httpGet("/metrics");
        assertTrue("published moved by 25 from " + published + ":\n" + after,
                metric(after, "chronofabric_bus_published_total") >= published + 25);
        assertTrue(after.contains("chronofabric_port_present{port=\"bus\"} 1.0"));
        assertTrue(after.contains("# TYPE chronofabric_bus_delivery_latency_seconds summary"));
    }

    private static double metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in:\n" + text);
    }

    @Test
    public void bundleCopiedIntoDeployStartsReceivingWithinSeconds() throws Exception {
        Path deploy = Path.of(System.getProperty("karaf.home"), "deploy", "deployed-subscriber.jar");
        Files.copy(Path.of(System.getProperty("itest.deployable")), deploy, StandardCopyOption.REPLACE_EXISTING);
        long start = System.nanoTime();
        Callable<List<String>> sub = subscriber("deployed");
        awaitSubscribed(DEPLOYED_CHANNEL);
        service(EventBus.class).publish(PhasePacket.builder("hot").channel(DEPLOYED_CHANNEL).build());
        awaitReceived(sub, 1);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue("deployed subscriber took " + seconds + " s", seconds < 15);
        assertEquals(List.of("hot"), sub.call());
    }

    @Test
    public void consolePublishesAndTails() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> tail = pool.submit(() -> execute("csf:tail --count 2 itest.console"));
            try {
                awaitSubscribed("itest.console");
            } catch (AssertionError e) {
                if (tail.isDone()) {
                    throw new AssertionError("csf:tail ended early: " + tail.get(), e);
                }
                throw e;
            }
            String published = execute("csf:publish --priority high itest.console hello");
            assertContains(published, "Published");
            execute("csf:publish --guaranteed --deadline-ms 5000 --targets 0xffffffffffffffff itest.console world");
            String tailed = tail.get(30, TimeUnit.SECONDS);
            assertContains(tailed, "hello");
            assertContains(tailed, "HIGH");
            assertContains(tailed, "world");
        } finally {
            pool.shutdownNow();
        }
        assertContains(execute("csf:channels"), "itest.console");
        assertContains(execute("csf:subscriptions"), "whiteboard");
        String stats = execute("csf:bus-stats");
        assertContains(stats, "Published");
        assertTrue(stats, stats.matches("(?s).*Delivered\\s+: [1-9][0-9]*.*"));
        assertContains(execute("csf:bus-health"), "Healthy");
        assertContains(execute("csf:status bus"), "present");
        assertContains(execute("csf:channel-link itest.console itest.copy"), "Linked itest.console -> itest.copy");
    }

    @Test
    public void benchRunsInsideTheDistributionAndPrintsNumbers() throws Exception {
        String out = execute("csf:bench --count 20000 --subscribers 2");
        assertContains(out, "100%");
        assertTrue(out, out.matches("(?s).*Throughput : [0-9,]+ packets/s published, [0-9,]+ deliveries/s.*"));
        assertTrue(out, out.matches("(?s).*Latency    : p50 [0-9.]+ (ns|us|ms|s).*"));
        assertTrue(out, !out.contains("Warning"));
        assertContains(out, "after 200,000 unmeasured");
        assertContains(execute("csf:bench --count 5000 --warmup 0 --latency-samples 100"), "after 0 unmeasured");
        assertContains(executeExpectingError("csf:bench --count 0"), "must be positive");
        assertContains(executeExpectingError("csf:bench --warmup -1"), "--warmup -1");
    }

    @Test
    public void badConsoleInputGetsAClearError() throws Exception {
        assertContains(executeExpectingError("csf:publish itest.x \"\""), "empty");
        assertContains(executeExpectingError("csf:publish --deadline-ms=-5 itest.x hi"), "negative");
        assertContains(executeExpectingError("csf:publish --priority urgent itest.x hi"), "'urgent'");
        assertContains(executeExpectingError("csf:channel-link nowhere itest.x"), "Unknown channel 'nowhere'");
        execute("csf:publish itest.x hi"); // publishing makes a channel known
        execute("csf:channel-link itest.x itest.y");
        assertContains(executeExpectingError("csf:channel-link itest.y itest.x"), "loop");
    }


}
