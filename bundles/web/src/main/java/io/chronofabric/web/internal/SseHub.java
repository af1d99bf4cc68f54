package io.chronofabric.web.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events fan-out: one snapshot per tick, written to every connected client. The ticking
 * thread exists only while at least one client is connected (no CPU when nobody watches); a client
 * whose write fails is dropped and closed.
 */
final class SseHub {

    /** One connected client. */
    interface Client {
        /** Writes and flushes one event; throws when the client is gone. */
        void send(String event) throws IOException;

        /** Ends the response (idempotent). */
        void close();
    }

    private static final Logger LOG = LoggerFactory.getLogger(SseHub.class);

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Supplier<String> snapshot;
    private final long intervalMillis;
    private final int maxClients;
    private ScheduledExecutorService ticker; // guarded by this; null while nobody watches
    private boolean closed; // guarded by this

    SseHub(Supplier<String> snapshot, long intervalMillis, int maxClients) {
        if (intervalMillis < 100 || intervalMillis > 60_000) {
            throw new IllegalArgumentException(WebConfig.PID + " sse.interval.ms must be 100..60000, got "
                    + intervalMillis);
        }
        if (maxClients < 1 || maxClients > 1000) {
            throw new IllegalArgumentException(WebConfig.PID + " max.sse.clients must be 1..1000, got " + maxClients);
        }
        this.snapshot = snapshot;
        this.intervalMillis = intervalMillis;
        this.maxClients = maxClients;
    }

    /** @return false when the hub is full or closed (the caller answers 503) */
    synchronized boolean add(Client c) {
        if (closed || clients.size() >= maxClients) {
            return false;
        }
        clients.add(c);
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chronofabric-web-sse");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        }
        // the first event without waiting a whole interval
        ticker.execute(() -> sendTo(c, event()));
        return true;
    }

    synchronized void remove(Client c) {
        if (clients.remove(c) && clients.isEmpty() && ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    /** Sends one snapshot to every client; dropped clients are removed. */
    void tick() {
        if (clients.isEmpty()) {
            return;
        }
        String ev = event();
        for (Client c : clients) {
            sendTo(c, ev);
        }
    }

    private String event() {
        String body;
        try {
            body = snapshot.get();
        } catch (RuntimeException e) {
            LOG.warn("Dashboard snapshot failed: {}", e.toString());
            body = Json.error(500, "snapshot failed: " + e);
        }
        return "event: snapshot\ndata: " + body + "\n\n";
    }

    private void sendTo(Client c, String ev) {
        if (!clients.contains(c)) {
            return;
        }
        try {
            c.send(ev);
        } catch (IOException | RuntimeException e) {
            LOG.debug("SSE client dropped: {}", e.toString());
            remove(c);
            c.close();
        }
    }

    synchronized boolean hasRoom() {
        return !closed && clients.size() < maxClients;
    }

    int clientCount() {
        return clients.size();
    }

    synchronized boolean ticking() {
        return ticker != null;
    }

    /** Closes every client and stops the ticker; later adds are refused. */
    void close() {
        Client[] all;
        synchronized (this) {
            closed = true;
            all = clients.toArray(new Client[0]);
            clients.clear();
            if (ticker != null) {
                ticker.shutdownNow();
                ticker = null;
            }
        }
        for (Client c : all) {
            c.close();
        }
    }
}
