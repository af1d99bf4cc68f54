package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.PhasePacket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a packet to its {@link RouteTable}. Reads (the publish path) are lock-free and allocate
 * nothing once warm: an immutable snapshot per channel, and a {@link ClassValue} of typed routes
 * that is replaced wholesale when subscriptions change (a ClassValue holds no strong reference to
 * the classes, so payload classes of stopped bundles can be unloaded without any clearing).
 * Changes (subscribe, unsubscribe, link) are serialised on a lock.
 *
 * <p>Known channels are those with subscribers, the ends of links, and two bounded sets of names:
 * declared by the console, and seen in publishes to channels nobody subscribes to (at most
 * {@value #MAX_REMEMBERED} each; when full, the oldest half is forgotten).
 */
final class Router {

    private final Object lock = new Object();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final Map<String, Set<String>> links = new TreeMap<>();
    static final int MAX_REMEMBERED = 1024;

    private final Set<String> subscribedChannels = new HashSet<>(); // guarded by lock
    private final RememberedNames declaredChannels = new RememberedNames(MAX_REMEMBERED);
    private final RememberedNames seenChannels = new RememberedNames(MAX_REMEMBERED);
    private volatile Map<String, RouteTable> channelRoutes = Map.of();
    private volatile ClassValue<RouteTable> typeRoutes = newTypeRoutes();

    RouteTable routeFor(PhasePacket<?> p) {
        String channel = p.channel();
        if (channel != null) {
            RouteTable t = channelRoutes.get(channel);
            if (t == null) {
                seenChannels.remember(channel);
                return RouteTable.EMPTY;
            }
            return t;
        }
        return typeRoutes.get(p.payloadType());
    }

    private ClassValue<RouteTable> newTypeRoutes() {
        return new ClassValue<>() {
            @Override
            protected RouteTable computeValue(Class<?> type) {
                return computeTyped(type);
            }
        };
    }

    private RouteTable computeTyped(Class<?> type) {
        synchronized (lock) {
            List<Subscriber> matching = new ArrayList<>();
            for (Subscriber s : subscribers) {
                if (s.channel == null && s.type.isAssignableFrom(type)) {
                    matching.add(s);
                }
            }
            return matching.isEmpty() ? RouteTable.EMPTY : new RouteTable(matching.toArray(new Subscriber[0]));
        }
    }

    void add(Subscriber s) {
        synchronized (lock) {
            subscribers.add(s);
            if (s.channel != null) {
                declaredChannels.remember(s.channel);
            }
            rebuild();
        }
    }

    boolean remove(Subscriber s) {
        synchronized (lock) {
            boolean removed = subscribers.remove(s);
            if (removed) {
                rebuild();
            }
            return removed;
        }
    }

    List<Subscriber> subscribers() {
        synchronized (lock) {
            return new ArrayList<>(subscribers);
        }
    }

    Set<String> channels() {
        Set<String> all = new TreeSet<>();
        declaredChannels.addTo(all);
        seenChannels.addTo(all);
        synchronized (lock) {
            all.addAll(subscribedChannels);
            for (Map.Entry<String, Set<String>> e : links.entrySet()) {
                all.add(e.getKey());
                all.addAll(e.getValue());
            }
        }
        return all;
    }

    void declare(String channel) {
        declaredChannels.remember(Channels.requireValid(channel));
    }

    void link(String from, String to) {
        Channels.requireValid(from);
        Channels.requireValid(to);
        synchronized (lock) {
            Set<String> known = channels();
            if (!known.contains(from)) {
                throw new IllegalArgumentException("Unknown channel '" + from + "': known channels are " + known);
            }
            if (from.equals(to)) {
                throw new IllegalArgumentException("Channel link " + from + " -> " + to + " would loop onto itself");
            }
            List<String> path = pathBetween(to, from);
            if (path != null) {
                throw new IllegalArgumentException("Channel link " + from + " -> " + to + " would close the loop "
                        + String.join(" -> ", path) + " -> " + to);
            }
            links.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
            rebuild();
        }
    }

    boolean unlink(String from, String to) {
        synchronized (lock) {
            Set<String> targets = links.get(from);
            if (targets == null || !targets.remove(to)) {
                return false;
            }
            if (targets.isEmpty()) {
                links.remove(from);
            }
            rebuild();
            return true;
        }
    }

    Map<String, Set<String>> links() {
        synchronized (lock) {
            Map<String, Set<String>> copy = new TreeMap<>();
            links.forEach((k, v) -> copy.put(k, Collections.unmodifiableSet(new TreeSet<>(v))));
            return Collections.unmodifiableMap(copy);
        }
    }

    /** A path of links from {@code start} to {@code goal}, or null. Caller holds the lock. */
    private List<String> pathBetween(String start, String goal) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(start);
        parent.put(start, null);
        while (!todo.isEmpty()) {
            String c = todo.poll();
            if (c.equals(goal)) {
                List<String> path = new ArrayList<>();
                for (String at = c; at != null; at = parent.get(at)) {
                    path.add(0, at);
                }
                return path;
            }
            for (String n : links.getOrDefault(c, Set.of())) {
                if (!parent.containsKey(n)) {
                    parent.put(n, c);
                    todo.add(n);
                }
            }
        }
        return null;
    }

    /** Caller holds the lock. Recomputes channel routes (with link closure) and drops typed routes. */
    private void rebuild() {
        Map<String, List<Subscriber>> direct = new HashMap<>();
        for (Subscriber s : subscribers) {
            if (s.channel != null) {
                direct.computeIfAbsent(s.channel, k -> new ArrayList<>()).add(s);
            }
        }
        subscribedChannels.clear();
        subscribedChannels.addAll(direct.keySet());
        Set<String> names = new HashSet<>(direct.keySet());
        names.addAll(links.keySet());
        Map<String, RouteTable> routes = new HashMap<>();
        for (String name : names) {
            Set<Subscriber> reached = Collections.newSetFromMap(new IdentityHashMap<>());
            List<Subscriber> ordered = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>();
            todo.add(name);
            while (!todo.isEmpty()) {
                String c = todo.poll();
                if (!seen.add(c)) {
                    continue;
                }
                for (Subscriber s : direct.getOrDefault(c, List.of())) {
                    if (reached.add(s)) {
                        ordered.add(s);
                    }
                }
                todo.addAll(links.getOrDefault(c, Set.of()));
            }
            if (!ordered.isEmpty()) {
                routes.put(name, new RouteTable(ordered.toArray(new Subscriber[0])));
            }
        }
        channelRoutes = Map.copyOf(routes);
        typeRoutes = newTypeRoutes();
    }

    /** A bounded set of names, safe for concurrent use; adding a known name allocates nothing. */
    static final class RememberedNames {
        private final int max;
        private final Map<String, Long> names = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicLong order = new java.util.concurrent.atomic.AtomicLong();

        RememberedNames(int max) {
            this.max = max;
        }

        void remember(String name) {
            if (names.containsKey(name)) {
                return;
            }
            names.putIfAbsent(name, order.incrementAndGet());
            if (names.size() > max) {
                forgetOldestHalf();
            }
        }

        private synchronized void forgetOldestHalf() {
            if (names.size() <= max) {
                return;
            }
            List<Map.Entry<String, Long>> byAge = new ArrayList<>(names.entrySet());
            byAge.sort(Map.Entry.comparingByValue());
            for (int i = 0; i < byAge.size() / 2; i++) {
                names.remove(byAge.get(i).getKey());
            }
        }

        void addTo(Set<String> target) {
            target.addAll(names.keySet());
        }

        int size() {
            return names.size();
        }
    }
}
