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
        EventHandler handler = event -> received.incrementAndGet();
        Hashtable<String, Object> hp = new Hashtable<>();
        hp.put(EventConstants.EVENT_TOPIC, "bench/*");
        ctx.registerService(EventHandler.class, handler, hp);
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

    /** Events/s for {@code n} events, synchronous (sendEvent) or asynchronous (postEvent). */
    double throughput(int n, boolean synchronous) throws InterruptedException {
        received.set(0);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Event e = new Event("bench/tick", Map.of("seq", i));
            if (synchronous) {
                eventAdmin.sendEvent(e);
            } else {
                eventAdmin.postEvent(e);
            }
        }
        while (received.get() < n) {
            Thread.onSpinWait();
        }
        return n * 1e9 / (System.nanoTime() - start);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
