package io.chronofabric.benchmarks;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.ComponentId;
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
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Our bus as users run it: the real {@code io.chronofabric.time} and {@code io.chronofabric.bus}
 * bundles with Felix SCR, in a Felix framework started in this JVM like the peers' (same Felix
 * version), with the default configuration (no Config Admin: every component on its defaults,
 * wait strategy backoff). The API packages come from the class path through the system bundle,
 * so this harness and the bundles share them; everything else (the bus's internals, JCTools,
 * HdrHistogram) is the bundles' own. Handlers are whiteboard services, as users register them.
 */
final class BusInFelix implements AutoCloseable {

    record Tick(long seq) {
    }

    /** Below the default queue capacity (8192), so no best-effort packet is dropped. */
    private static final long WINDOW = 4096;

    private final Framework framework;
    private final BundleContext context;
    private final EventBus bus;
    private final AtomicLong received = new AtomicLong();
    private final RoutingMetadata routing = RoutingMetadata.defaults(ComponentId.SYSTEM);

    BusInFelix() throws Exception {
        Path storage = Files.createTempDirectory("felix-bus");
        Map<String, String> props = new HashMap<>();
        props.put("org.osgi.framework.storage", storage.toString());
        props.put("org.osgi.framework.storage.clean", "onFirstInit");
        String v = System.getProperty("chronofabric.version", "0.1.0-SNAPSHOT");
        // the API packages the bundles import, exported by the system bundle from the class path at
        // the lowest version each import accepts (the class path holds the API they were built with)
        java.util.Set<String> api = new java.util.TreeSet<>();
        for (String b : new String[] {"io.chronofabric.time-" + v + ".jar", "io.chronofabric.bus-" + v + ".jar"}) {
            api.addAll(apiImports(file(b)));
        }
        props.put("org.osgi.framework.system.packages.extra", String.join(",", api) + ",org.slf4j;version=2.0.16,"
                + "org.osgi.util.promise;version=1.2.0,org.osgi.util.function;version=1.2.0");
        props.put("karaf.data", storage.resolve("data").toString());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        framework = factory.newFramework(props);
        framework.start();
        context = framework.getBundleContext();
        Bundle[] bundles = {install("org.osgi.service.component-1.5.1.jar"), install("org.apache.felix.scr-2.2.6.jar"),
            install("io.chronofabric.time-" + v + ".jar"), install("io.chronofabric.bus-" + v + ".jar")};
        for (Bundle b : bundles) {
            b.start();
        }
        long end = System.currentTimeMillis() + 20_000;
        EventBus found = null;
        while (found == null && System.currentTimeMillis() < end) {
            var ref = context.getServiceReference(EventBus.class);
            if (ref != null) {
                found = context.getService(ref);
                // publishing needs the clock: wait until the bus has bound it
                try {
                    found.publish(PhasePacket.of(new Tick(-1), "bench.probe", routing));
                } catch (RuntimeException e) {
                    found = null;
                }
            }
            if (found == null) {
                Thread.sleep(20);
            }
        }
        if (found == null) {
            throw new IllegalStateException("the bus bundle did not register a working EventBus in Felix within 20 s");
        }
        bus = found;
    }

    private Bundle install(String name) throws Exception {
        return context.installBundle(file(name).toURI().toString());
    }

    private static File file(String name) {
        String dir = System.getProperty("chronofabric.osgi.dir", "benchmarks/target/osgi");
        File f = new File(dir, name);
        if (!f.isFile()) {
            throw new IllegalStateException("Bundle not found: " + f.getAbsolutePath() + " (build the benchmarks module)");
        }
        return f;
    }

    /** {@code io.chronofabric.api.x;version=<lowest accepted>} for each API package the bundle imports. */
    static java.util.List<String> apiImports(File bundle) throws java.io.IOException {
        String header;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(bundle)) {
            header = jar.getManifest().getMainAttributes().getValue("Import-Package");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        if (header == null) {
            return out;
        }
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i <= header.length(); i++) {
            char ch = i < header.length() ? header.charAt(i) : ',';
            if (ch == '"') {
                quoted = !quoted;
            }
            if (ch == ',' && !quoted) {
                String c = clause.toString().trim();
                clause.setLength(0);
                if (c.startsWith("io.chronofabric.api.")) {
                    String name = c.split(";", 2)[0].trim();
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("version=\"?[\\[(]?([0-9.]+)").matcher(c);
                    out.add(name + ";version=" + (m.find() ? m.group(1) : "0.0.0"));
                }
            } else {
                clause.append(ch);
            }
        }
        return out;
    }

    /** A whiteboard handler on {@code channel} counting into {@link #received}; unregistered by the caller. */
    private ServiceRegistration<?> handler(String channel, boolean sameThread) throws InterruptedException {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(PacketHandler.CHANNEL, channel);
        if (sameThread) {
            p.put(PacketHandler.DELIVERY, PacketHandler.DELIVERY_SAME_THREAD);
        }
        PacketHandler<Object> h = packet -> received.lazySet(received.get() + 1);
        ServiceRegistration<?> reg = context.registerService(PacketHandler.class.getName(), sameThread
                ? (PacketHandler<Object>) packet -> received.incrementAndGet() : h, p);
        long end = System.currentTimeMillis() + 10_000;
        while (bus.subscriberCount(channel) == 0) {
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("the bus did not subscribe the whiteboard handler on " + channel);
            }
            Thread.sleep(5);
        }
        return reg;
    }

    /** Packets/s, one publisher, one queued whiteboard handler (dispatcher thread), at most {@link #WINDOW} in flight. */
    double throughput(int n) throws InterruptedException {
        ServiceRegistration<?> reg = handler("bench.one", false);
        try {
            received.set(0);
            long start = System.nanoTime();
            for (long i = 0; i < n; i++) {
                while (i - received.get() > WINDOW) {
                    Thread.onSpinWait();
                }
                bus.publish(PhasePacket.of(new Tick(i), "bench.one", routing));
            }
            long end = System.nanoTime() + 60_000_000_000L;
            while (received.get() < n && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            if (received.get() < n) {
                throw new IllegalStateException("only " + received.get() + " of " + n + " packets reached the handler in Felix ("
                        + bus.stats().dropped() + " dropped)");
            }
            return n * 1e9 / (System.nanoTime() - start);
        } finally {
            reg.unregister();
        }
    }

    /**
     * The same measurement on a bus built directly (outside OSGi) with the settings the bundle has
     * here (default queue capacity 8192, backoff) and the same window, channel and handler: how far
     * apart the two are is OSGi's share (service indirection, the bundle's own class space).
     */
    static double direct(int n, io.chronofabric.api.time.TimeSource time) throws InterruptedException {
        io.chronofabric.bus.internal.PhaseCoherenceBus b = io.chronofabric.bus.internal.Buses.create(8192, "backoff", time,
                new io.chronofabric.time.internal.HlcClockImpl(time, 1, 500_000_000L));
        AtomicLong count = new AtomicLong();
        io.chronofabric.bus.internal.Buses.addHandler(b, "bench.one", (PacketHandler<Object>) p -> count.lazySet(count.get() + 1));
        RoutingMetadata r = RoutingMetadata.defaults(ComponentId.SYSTEM);
        try {
            long start = System.nanoTime();
            for (long i = 0; i < n; i++) {
                while (i - count.get() > WINDOW) {
                    Thread.onSpinWait();
                }
                b.publish(PhasePacket.of(new Tick(i), "bench.one", r));
            }
            long end = System.nanoTime() + 60_000_000_000L;
            while (count.get() < n && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return n * 1e9 / (System.nanoTime() - start);
        } finally {
            b.close();
        }
    }

    /** Packets/s, one publisher, one same-thread whiteboard handler (called inside publish). */
    double sameThreadThroughput(int n) throws InterruptedException {
        ServiceRegistration<?> reg = handler("bench.direct", true);
        try {
            received.set(0);
            return Publishers.drive(1, n, 1, 0, received, (p, i) -> bus.publish(PhasePacket.of(new Tick(i), "bench.direct", routing)));
        } finally {
            reg.unregister();
        }
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
