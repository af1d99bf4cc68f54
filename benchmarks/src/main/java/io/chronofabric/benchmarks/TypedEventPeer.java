package io.chronofabric.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.typedevent.TypedEventBus;
import org.osgi.service.typedevent.TypedEventConstants;
import org.osgi.service.typedevent.UntypedEventHandler;

/**
 * The Apache Aries Typed Event bus 0.0.2 (OSGi Typed Events 1.0) inside a real Felix 7.0.5 started
 * here. The harness delivers a small DTO through {@link TypedEventBus#deliver(String, Object)} and
 * one {@link UntypedEventHandler} counts deliveries (the bus converts each event into a map).
 */
final class TypedEventPeer implements AutoCloseable {

    /** The event: a DTO with a public field, as the Typed Event specification expects. */
    public static final class Tick {
        public long seq;
        public long sentAt;
    }

    private final Framework framework;
    private final TypedEventBus bus;
    private final AtomicLong received = new AtomicLong();
    private volatile org.HdrHistogram.Histogram latency;

    TypedEventPeer() throws Exception {
        Path storage = Files.createTempDirectory("felix-typedevent");
        Map<String, String> props = new HashMap<>();
        props.put("org.osgi.framework.storage", storage.toString());
        props.put("org.osgi.framework.storage.clean", "onFirstInit");
        props.put("org.osgi.framework.system.packages.extra", "org.osgi.service.typedevent;version=1.0,"
                + "org.osgi.service.typedevent.monitor;version=1.0,org.osgi.service.typedevent.annotations;version=1.0,"
                + "org.osgi.util.pushstream;version=1.0.2,org.osgi.util.promise;version=1.2.0,org.osgi.util.function;version=1.2.0");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        framework = factory.newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String jar : List.of("org.apache.felix.configadmin-1.9.26.jar", "org.osgi.util.converter-1.0.9.jar",
                "org.apache.aries.component-dsl.component-dsl-1.2.2.jar", "slf4j-api-1.7.36.jar", "slf4j-simple-1.7.36.jar",
                "org.apache.aries.typedevent.bus-0.0.2.jar")) {
            bundles.add(ctx.installBundle(file(jar).toURI().toString()));
        }
        for (Bundle b : bundles) {
            b.start();
        }
        for (int i = 0; i < 4; i++) {
            int index = i;
            UntypedEventHandler handler = (topic, event) -> {
                org.HdrHistogram.Histogram h = latency;
                if (h != null) {
                    h.recordValue(Math.max(1, System.nanoTime() - ((Number) event.get("sentAt")).longValue()));
                }
                received.incrementAndGet();
            };
            Hashtable<String, Object> hp = new Hashtable<>();
            // handler 0 alone receives bench/one; all four receive bench/all
            hp.put(TypedEventConstants.TYPED_EVENT_TOPICS, index == 0 ? new String[] {"bench/one", "bench/all"} : new String[] {"bench/all"});
            ctx.registerService(UntypedEventHandler.class, handler, hp);
        }
        var ref = ctx.getServiceReference(TypedEventBus.class);
        long end = System.currentTimeMillis() + 10_000;
        while (ref == null && System.currentTimeMillis() < end) {
            Thread.sleep(20);
            ref = ctx.getServiceReference(TypedEventBus.class);
        }
        if (ref == null) {
            throw new IllegalStateException("The Aries Typed Event bus did not start in Felix");
        }
        bus = ctx.getService(ref);
    }

    private static File file(String name) {
        String dir = System.getProperty("chronofabric.osgi.dir", "benchmarks/target/osgi");
        File f = new File(dir, name);
        if (!f.isFile()) {
            throw new IllegalStateException("Bundle not found: " + f.getAbsolutePath() + " (build the benchmarks module)");
        }
        return f;
    }

    /** Events/s: {@code publishers} threads deliver {@code n} events in total, each to {@code subscribers} handlers. */
    double throughput(int n, int publishers, int subscribers) throws InterruptedException {
        String topic = subscribers == 1 ? "bench/one" : "bench/all";
        if (subscribers != 1 && subscribers != 4) {
            throw new IllegalArgumentException("subscribers must be 1 or 4");
        }
        received.set(0);
        return Publishers.drive(publishers, n, subscribers, 32_768L * subscribers, received, (p, i) -> {
            Tick t = new Tick();
            t.seq = i;
            bus.deliver(topic, t);
        });
    }

    /** Events/s for {@code n} events delivered asynchronously (the only mode of the Typed Event bus). */
    double throughput(int n) throws InterruptedException {
        return throughput(n, 1, 1);
    }

    /** One-way latency, one event in flight. */
    org.HdrHistogram.Histogram latency(int n) {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(1, 60_000_000_000L, 3);
        latency = h;
        received.set(0);
        for (int i = 0; i < n; i++) {
            Tick t = new Tick();
            t.seq = i;
            t.sentAt = System.nanoTime();
            bus.deliver("bench/one", t);
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
