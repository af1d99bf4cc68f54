package io.chronofabric.telemetry.internal;

import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.TraceContext;
import io.chronofabric.api.trace.TraceStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest spans in a fixed ring: recording (on bus threads) takes no lock and allocates
 * nothing; the oldest spans are overwritten. Readers scan a copy of the ring.
 */
final class TraceBuffer implements TraceStore {

    private final AtomicReferenceArray<Span> ring;
    private final AtomicLong next = new AtomicLong();

    TraceBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("trace buffer capacity must be at least 1, got " + capacity);
        }
        ring = new AtomicReferenceArray<>(capacity);
    }

    void record(Span span) {
        long n = next.getAndIncrement();
        ring.set((int) (n % ring.length()), span);
    }

    /** The spans now in the ring, oldest first. */
    private List<Span> snapshot() {
        long end = next.get();
        long start = Math.max(0, end - ring.length());
        List<Span> out = new ArrayList<>((int) (end - start));
        for (long i = start; i < end; i++) {
            Span s = ring.get((int) (i % ring.length()));
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public List<Span> trace(String traceId) {
        String id = normalise(traceId);
        long hi = Long.parseUnsignedLong(id.substring(0, 16), 16);
        long lo = Long.parseUnsignedLong(id.substring(16), 16);
        List<Span> out = new ArrayList<>();
        for (Span s : snapshot()) {
            TraceContext t = s.trace();
            if (t.traceIdHigh() == hi && t.traceIdLow() == lo) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingLong(Span::startNanos).thenComparing(s -> order(s.name())));
        return out;
    }

    private static int order(String name) {
        return switch (name) {
            case "publish" -> 0;
            case "deliver" -> 1;
            case "handler" -> 2;
            default -> 3;
        };
    }

    /**
     * @throws IllegalArgumentException unless the id is 32 hex digits (a whole traceparent is
     *         accepted too: its trace id is taken)
     */
    static String normalise(String traceId) {
        if (traceId == null) {
            throw new IllegalArgumentException("trace id is null");
        }
        String t = traceId.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.contains("-")) {
            return TraceContext.parse(t).traceId();
        }
        if (t.length() != 32 || !t.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("A trace id is 32 hex digits (or a whole traceparent), got '" + traceId + "'");
        }
        return t;
    }

    @Override
    public List<TraceSummary> recent(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        Map<String, List<Span>> byTrace = new LinkedHashMap<>();
        List<Span> all = snapshot();
        for (int i = all.size() - 1; i >= 0; i--) {
            Span s = all.get(i);
            String id = s.trace().traceId();
            List<Span> list = byTrace.get(id);
            if (list == null) {
                if (byTrace.size() == max) {
                    continue;
                }
                list = new ArrayList<>();
                byTrace.put(id, list);
            }
            list.add(s);
        }
        List<TraceSummary> out = new ArrayList<>();
        for (Map.Entry<String, List<Span>> e : byTrace.entrySet()) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            int errors = 0;
            TreeSet<String> channels = new TreeSet<>();
            for (Span s : e.getValue()) {
                first = Math.min(first, s.startNanos());
                last = Math.max(last, s.endNanos());
                errors += s.error() == null ? 0 : 1;
                if (s.channel() != null) {
                    channels.add(s.channel());
                }
            }
            out.add(new TraceSummary(e.getKey(), e.getValue().size(), first, last, String.join(",", channels), errors));
        }
        return out;
    }

    @Override
    public long recorded() {
        return next.get();
    }

    @Override
    public int capacity() {
        return ring.length();
    }
}
