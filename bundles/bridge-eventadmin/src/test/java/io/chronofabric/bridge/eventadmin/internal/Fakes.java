package io.chronofabric.bridge.eventadmin.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.time.HlcClock;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
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
        final EventBus service = (EventBus) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {EventBus.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "publish" -> {
                        PhasePacket<?> p = (PhasePacket<?>) args[0];
                        long id = onPublish.apply(p);
                        published.add(p);
                        yield id;
                    }
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

    /** A packet as the bus hands it to a handler: stamped with an id and an HLC time. */
    static <T> PhasePacket<T> stamped(PhasePacket<T> p, long id, LogicalTime time) {
        p.stamp(new Object(), id, time, 1, RoutingMetadata.NO_DEADLINE);
        return p;
    }

    static long id(int node, long sequence) {
        return MessageId.pack(node, sequence);
    }
}
