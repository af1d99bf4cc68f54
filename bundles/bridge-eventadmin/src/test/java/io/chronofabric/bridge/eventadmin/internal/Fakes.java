package io.chronofabric.bridge.eventadmin.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.time.HlcClock;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Hand-made services for the tests: only the methods the bridge calls. */
final class Fakes {

    private Fakes() {
    }

    /** A bus whose publish runs {@code onPublish} (return an id, or throw); it records what was published. */
    static final class Bus {
        final List<PhasePacket<?>> published = new CopyOnWriteArrayList<>();
        volatile Function<PhasePacket<?>, Long> onPublish = p -> (long) published.size();
        final Set<String> channels = new CopyOnWriteArraySet<>();
        final EventBus service = (EventBus) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {EventBus.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "publish" -> {
                        PhasePacket<?> p = (PhasePacket<?>) args[0];
                        long id = onPublish.apply(p);
                        published.add(p);
                        yield id;
                    }
                    case "channels" -> Set.copyOf(channels);
                    case "toString" -> "fake bus";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A clock that records the remote times it merged, and refuses them when told to. */
    static final class Clock {
        final List<LogicalTime> merged = new CopyOnWriteArrayList<>();
        volatile RuntimeException refuse;
        final HlcClock service = (HlcClock) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {HlcClock.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "update" -> {
                        if (refuse != null) {
                            throw refuse;
                        }
                        merged.add((LogicalTime) args[0]);
                        yield args[0];
                    }
                    case "refusedUpdates" -> 0L;
                    case "toString" -> "fake clock";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Records posted Events; sendEvent fails the test. */
    static final class Admin implements EventAdmin {
        final List<Event> posted = new CopyOnWriteArrayList<>();
        volatile RuntimeException fail;

        @Override
        public void postEvent(Event event) {
            if (fail != null) {
                throw fail;
            }
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            throw new AssertionError("the bridge must never send synchronously: " + event);
        }
    }

    /** A bundle context that only registers services (recorded, with their properties) and knows a framework UUID. */
    static final class Context {
        static final class Registration {
            final Class<?> type;
            final Object service;
            volatile Dictionary<String, ?> properties;
            volatile boolean unregistered;

            Registration(Class<?> type, Object service, Dictionary<String, ?> properties) {
                this.type = type;
                this.service = service;
                this.properties = properties;
            }
        }

        final List<Registration> registrations = new CopyOnWriteArrayList<>();
        final BundleContext service = (BundleContext) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "registerService" -> {
                        Registration r = new Registration((Class<?>) args[0], args[1], (Dictionary<String, ?>) args[2]);
                        registrations.add(r);
                        yield Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (p2, m2, a2) -> switch (m2.getName()) {
                                    case "unregister" -> {
                                        if (r.unregistered) {
                                            throw new IllegalStateException("already unregistered");
                                        }
                                        r.unregistered = true;
                                        yield null;
                                    }
                                    case "setProperties" -> {
                                        r.properties = (Dictionary<String, ?>) a2[0];
                                        yield null;
                                    }
                                    case "hashCode" -> System.identityHashCode(p2);
                                    case "equals" -> p2 == a2[0];
                                    default -> throw new UnsupportedOperationException(m2.getName());
                                });
                    }
                    case "getProperty" -> Constants.FRAMEWORK_UUID.equals(args[0]) ? "test-uuid" : null;
                    case "toString" -> "fake bundle context";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        /** Live registrations of {@code type}. */
        List<Registration> live(Class<?> type) {
            return registrations.stream().filter(r -> r.type == type && !r.unregistered).toList();
        }
    }

    /** An instance of a configuration annotation: the given values, else each attribute's default. */
    @SuppressWarnings("unchecked")
    static <A> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class || method.getName().equals("annotationType")) {
                return switch (method.getName()) {
                    case "annotationType" -> type;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "config " + values;
                };
            }
            Object v = values.get(method.getName());
            return v != null ? v : method.getDefaultValue();
        });
    }

    /** Sets a DS-injected field, as Service Component Runtime would. */
    static void inject(Object component, String field, Object value) {
        try {
            java.lang.reflect.Field f = component.getClass().getDeclaredField(field);
            f.setAccessible(true);
            f.set(component, value);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A packet as the bus hands it to a handler: stamped with an id and an HLC time. */
    static <T> PhasePacket<T> stamped(PhasePacket<T> p, long id, LogicalTime time) {
        p.stamp(new Object(), id, time, 1, RoutingMetadata.NO_DEADLINE);
        return p;
    }

    static long id(int node, long sequence) {
        return MessageId.pack(node, sequence);
    }
}
