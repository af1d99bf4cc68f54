package io.chronofabric.clogic.ems.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.time.TimeSource;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Small stand-ins for the OSGi and bus services the component uses (java.lang.reflect.Proxy, no mocking library). */
final class Stubs {

    private Stubs() {
    }

    /** A time source that moves only when told. */
    static final class Clock implements TimeSource {
        final AtomicLong now;

        Clock(long start) {
            now = new AtomicLong(start);
        }

        @Override
        public long nowNanos() {
            return now.get();
        }

        void advance(long nanos) {
            now.addAndGet(nanos);
        }

        @Override
        public boolean hasHardwareTiming() {
            return false;
        }

        @Override
        public String kind() {
            return "simulated";
        }

        @Override
        public io.chronofabric.api.time.QuantumOffset quantumOffset() {
            return io.chronofabric.api.time.QuantumOffset.NONE;
        }

        @Override
        public io.chronofabric.api.time.TimeCheckpoint createCheckpoint(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean validateCoherence(io.chronofabric.api.time.TimeCheckpoint from, io.chronofabric.api.time.TimeCheckpoint to) {
            return false;
        }
    }

    /** The whiteboard handlers registered, by channel. */
    static final class Context {
        final Map<String, PacketHandler<Object>> handlers = new ConcurrentHashMap<>();
        final BundleContext context;

        @SuppressWarnings("unchecked")
        Context(Path dataDir) {
            Bundle bundle = (Bundle) Proxy.newProxyInstance(Stubs.class.getClassLoader(), new Class<?>[] {Bundle.class},
                    (p, m, a) -> m.getName().equals("getSymbolicName") ? "io.chronofabric.clogic.ems" : null);
            context = (BundleContext) Proxy.newProxyInstance(Stubs.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, a) -> {
                switch (m.getName()) {
                    case "getBundle":
                        return bundle;
                    case "getProperty":
                        return null;
                    case "getDataFile":
                        return new File(dataDir.toFile(), (String) a[0]);
                    case "registerService":
                        Dictionary<String, Object> props = (Dictionary<String, Object>) a[2];
                        String channel = (String) props.get(PacketHandler.CHANNEL);
                        handlers.put(channel, (PacketHandler<Object>) a[1]);
                        return Proxy.newProxyInstance(Stubs.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (p2, m2, a2) -> {
                                    if (m2.getName().equals("unregister")) {
                                        handlers.remove(channel, a[1]);
                                    }
                                    return null;
                                });
                    default:
                        throw new UnsupportedOperationException(m.getName());
                }
            });
        }

        /** Delivers {@code payload} on {@code channel} as the bus would (stamped, on this thread). */
        void deliver(String channel, Object payload, long publishedAt) throws Exception {
            deliver(channel, payload, publishedAt, null);
        }

        void deliver(String channel, Object payload, long publishedAt, io.chronofabric.api.trace.TraceContext trace)
                throws Exception {
            PhasePacket.Builder<Object> b = PhasePacket.builder(payload).channel(channel);
            if (trace != null) {
                b.trace(trace);
            }
            PhasePacket<Object> packet = b.build();
            packet.stamp(this, 1, new LogicalTime(1, 0, 0), publishedAt, 0);
            PacketHandler<Object> h = handlers.get(channel);
            if (h == null) {
                throw new AssertionError("No handler on " + channel + "; handlers on " + handlers.keySet());
            }
            h.onPacket(packet);
        }
    }

    /** A bus that records what is published. */
    static EventBus bus(List<PhasePacket<?>> published) {
        return (EventBus) Proxy.newProxyInstance(Stubs.class.getClassLoader(), new Class<?>[] {EventBus.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "publish":
                    published.add((PhasePacket<?>) a[0]);
                    return 1L;
                case "activeSubscriptions":
                    return List.of();
                case "toString":
                    return "recording bus";
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    static List<PhasePacket<?>> recording() {
        return new CopyOnWriteArrayList<>();
    }

    /** An EmsConfig with its defaults, some of them overridden by attribute name (method name). */
    static EmsConfig config(Map<String, Object> overrides) {
        return (EmsConfig) Proxy.newProxyInstance(EmsConfig.class.getClassLoader(), new Class<?>[] {EmsConfig.class},
                (p, m, a) -> overrides.containsKey(m.getName()) ? overrides.get(m.getName()) : m.getDefaultValue());
    }
}
