package io.chronofabric.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Apache Felix EventAdmin 1.6.4 inside a real Felix 7.0.5 framework started here, in this JVM;
 * the harness publishes from outside the framework through the shared
 * {@code org.osgi.service.event} package, and one EventHandler counts deliveries.
 */
final class EventAdminPeer implements AutoCloseable {

    private final Framework framework;
    private final EventAdmin eventAdmin;
    private final AtomicLong received = new AtomicLong();
    private volatile org.HdrHistogram.Histogram latency;

    /** @param timeoutZero start EventAdmin with {@code Timeout=0} (no handler time-out supervision) */
    EventAdminPeer(boolean timeoutZero) throws Exception {
        Path storage = Files.createTempDirectory("felix-bench");
        Map<String, String> props = new HashMap<>();
        props.put("org.osgi.framework.storage", storage.toString());
        props.put("org.osgi.framework.storage.clean", "onFirstInit");
        props.put("org.osgi.framework.system.packages.extra", "org.osgi.service.event;version=1.4.0");
        if (timeoutZero) {
            props.put("org.apache.felix.eventadmin.Timeout", "0");
        }
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        framework = factory.newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        Bundle ea = ctx.installBundle(bundleFile().toURI().toString());
        ea.start();
        for (int i = 0; i < 4; i++) {
            int index = i;
            EventHandler handler = event -> {
                org.HdrHistogram.Histogram h = latency;
                if (h != null) {
                    h.recordValue(Math.max(1, System.nanoTime() - (Long) event.getProperty("sentAt")));
                }
                received.incrementAndGet();
            };
            // handler 0 alone receives bench/one; all four receive bench/all
            Hashtable<String, Object> hp = new Hashtable<>();
            hp.put(EventConstants.EVENT_TOPIC, index == 0 ? new String[] {"bench/one", "bench/all"} : new String[] {"bench/all"});
            ctx.registerService(EventHandler.class, handler, hp);
        }
        var ref = ctx.getServiceReference(EventAdmin.class);
        if (ref == null) {
            throw new IllegalStateException("EventAdmin did not start in Felix");
        }
        eventAdmin = ctx.getService(ref);
    }

    static File bundleFile() {
        String dir = System.getProperty("chronofabric.osgi.dir", "benchmarks/target/osgi");
        File f = new File(dir, "org.apache.felix.eventadmin-1.6.4.jar");
        if (!f.isFile()) {
            throw new IllegalStateException("EventAdmin bundle not found at " + f.getAbsolutePath()
                    + " (build the benchmarks module, or set -Dchronofabric.osgi.dir)");
        }
        return f;
    }

    /** Events/s for {@code n} events, synchronous (sendEvent) or asynchronous (postEvent), to one handler. */
    double throughput(int n, boolean synchronous) throws InterruptedException {
        return throughput(n, synchronous, 1, 1);
    }

    /**
     * Events/s: {@code publishers} threads send {@code n} events in total, each delivered to
     * {@code subscribers} handlers (1 or 4).
     */
    double throughput(int n, boolean synchronous, int publishers, int subscribers) throws InterruptedException {
        String topic = subscribers == 1 ? "bench/one" : "bench/all";
        if (subscribers != 1 && subscribers != 4) {
            throw new IllegalArgumentException("subscribers must be 1 or 4");
        }
        received.set(0);
        return Publishers.drive(publishers, n, subscribers, 0, received, (p, i) -> {
            Event e = new Event(topic, Map.of("seq", (int) i, "sentAt", System.nanoTime()));
            if (synchronous) {
                eventAdmin.sendEvent(e);
            } else {
                eventAdmin.postEvent(e);
            }
        });
    }

    /** One-way latency, one event in flight, to one handler. */
    org.HdrHistogram.Histogram latency(int n, boolean synchronous) {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(1, 60_000_000_000L, 3);
        latency = h;
        received.set(0);
        for (int i = 0; i < n; i++) {
            Event e = new Event("bench/one", Map.of("seq", i, "sentAt", System.nanoTime()));
            if (synchronous) {
                eventAdmin.sendEvent(e);
            } else {
                eventAdmin.postEvent(e);
            }
            while (received.get() <= i) {
                Thread.onSpinWait();
            }
        }
        latency = null;
        return h;
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
