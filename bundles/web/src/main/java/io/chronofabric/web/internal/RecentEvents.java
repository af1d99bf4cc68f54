package io.chronofabric.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest payloads seen on a few C-LOGIC channels (patterns, affect, decisions), for the
 * dashboard. A fixed ring per instance: a bus dispatcher records without a lock; readers take a
 * copy of what is there (an entry overwritten while being read is simply the newer one).
 */
final class RecentEvents {

    /** One payload as the dashboard shows it. */
    record Event(String channel, long hlcPhysical, String type, String text) {
    }

    private final AtomicReferenceArray<Event> ring;
    private final AtomicLong next = new AtomicLong();

    RecentEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        ring = new AtomicReferenceArray<>(capacity);
    }

    void record(String channel, long hlcPhysical, Object payload) {
        String text = String.valueOf(payload);
        if (text.length() > 400) {
            text = text.substring(0, 400) + "…";
        }
        Event e = new Event(channel, hlcPhysical, payload == null ? "null" : payload.getClass().getSimpleName(), text);
        long n = next.getAndIncrement();
        ring.set((int) (n % ring.length()), e);
    }

    /** Newest first, at most {@code max}, only those of {@code channel} (null: every channel). */
    List<Event> latest(String channel, int max) {
        long end = next.get();
        List<Event> out = new ArrayList<>();
        for (long i = end - 1; i >= 0 && i >= end - ring.length() && out.size() < max; i--) {
            Event e = ring.get((int) (i % ring.length()));
            if (e != null && (channel == null || channel.equals(e.channel()))) {
                out.add(e);
            }
        }
        return out;
    }

    long recorded() {
        return next.get();
    }
}
