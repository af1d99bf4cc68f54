package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.BusStats;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters (striped {@link LongAdder}s, so publishers do not contend) and latency histograms.
 * Each dispatcher records latency in its own {@link LatencyHistogram} without any atomic
 * operation; receivers share one concurrent recorder. {@link #collect()} folds the recorders'
 * interval histograms into a cumulative one and into the current slot of a ring of
 * {@value #SLOTS} slots spanning the sliding window; {@link #sample} advances the ring and keeps
 * (time, deliveries, busy time) points for windowed throughput and capacity. Health and the
 * time oracle judge the windowed figures, so an old burst does not count for ever and a new one
 * shows at once.
 */
final class BusMetrics {

    static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;
    static final int SLOTS = 10;

    final LongAdder dropped = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder interruptsCleared = new LongAdder();

    private final List<LatencyHistogram> dispatcherHistograms = new CopyOnWriteArrayList<>();
    private final Recorder receiverRecorder = new Recorder(1, HIGHEST_TRACKABLE_NANOS, 2);
    private final Histogram cumulative = new Histogram(1, HIGHEST_TRACKABLE_NANOS, 2);
    private final Histogram[] slots = new Histogram[SLOTS];
    private final Histogram windowed = new Histogram(1, HIGHEST_TRACKABLE_NANOS, 2);
    private final Histogram interval = new Histogram(1, HIGHEST_TRACKABLE_NANOS, 2);
    private int slot;
    private long slotStart = System.nanoTime();
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    private final List<Dispatcher> dispatchers = new CopyOnWriteArrayList<>();
    private final List<Dispatcher> stopping = new CopyOnWriteArrayList<>();
    private long retiredDeliveries;
    private long retiredBusyNanos;

    BusMetrics() {
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Histogram(1, HIGHEST_TRACKABLE_NANOS, 2);
        }
    }

    LatencyHistogram newDispatcherHistogram() {
        LatencyHistogram h = new LatencyHistogram();
        dispatcherHistograms.add(h);
        return h;
    }

    void register(Dispatcher d) {
        dispatchers.add(d);
    }

    /** The dispatcher is handing over; its figures are folded in once its thread has ended. */
    void retireLater(Dispatcher d) {
        stopping.add(d);
    }

    /** Folds in dispatchers whose threads have ended. */
    synchronized void retireStopped() {
        for (Dispatcher d : stopping) {
            if (!d.isAlive()) {
                stopping.remove(d);
                collect();
                dispatchers.remove(d);
                d.latency.flush();
                collect();
                dispatcherHistograms.remove(d.latency);
                retiredDeliveries += d.deliveries();
                retiredBusyNanos += d.busyNanos();
            }
        }
    }

    static long clamp(long nanos) {
        return nanos < 1 ? 1 : Math.min(nanos, HIGHEST_TRACKABLE_NANOS);
    }

    void recordReceiverLatency(long nanos) {
        receiverRecorder.recordValue(clamp(nanos));
    }

    /** Folds interval histograms into the cumulative one and the current window slot. */
    synchronized void collect() {
        interval.reset();
        for (LatencyHistogram h : dispatcherHistograms) {
            h.drainInto(interval);
        }
        interval.add(receiverRecorder.getIntervalHistogram());
        cumulative.add(interval);
        slots[slot].add(interval);
    }

    /** Adds a (time, total deliveries, busy time) point, trims the window, and advances the latency ring. */
    synchronized void sample(long nowNanos, long totalDelivered, long windowNanos) {
        long busy = retiredBusyNanos;
        long deliveries = retiredDeliveries;
        for (Dispatcher d : dispatchers) {
            busy += d.busyNanos();
            deliveries += d.deliveries();
        }
        window.addLast(new long[] {nowNanos, totalDelivered, deliveries, busy});
        while (window.size() > 2 && window.peekFirst()[0] < nowNanos - windowNanos) {
            window.removeFirst();
        }
        long slotNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(100), windowNanos / SLOTS);
        while (nowNanos - slotStart >= slotNanos) {
            slot = (slot + 1) % SLOTS;
            slots[slot].reset();
            slotStart += slotNanos;
            if (nowNanos - slotStart > windowNanos) {
                for (Histogram h : slots) {
                    h.reset();
                }
                slotStart = nowNanos;
            }
        }
    }

    synchronized long throughputPerSecond() {
        if (window.size() < 2) {
            return 0;
        }
        long[] first = window.peekFirst();
        long[] last = window.peekLast();
        long dt = last[0] - first[0];
        return dt <= 0 ? 0 : (long) ((last[1] - first[1]) * 1e9 / dt);
    }

    /**
     * Deliveries per second the dispatchers could sustain at their cost per delivery (busy time /
     * deliveries) over the sliding window, or -1 when no handler delivery happened in it.
     */
    synchronized long recentCapacityPerSecond() {
        if (window.size() < 2) {
            return -1;
        }
        long[] first = window.peekFirst();
        long[] last = window.peekLast();
        long deliveries = last[2] - first[2];
        long busy = last[3] - first[3];
        if (deliveries <= 0 || busy <= 0) {
            return -1;
        }
        int threads = Math.max(1, dispatchers.size() - stopping.size());
        return (long) (threads * deliveries * 1e9 / busy);
    }

    /** Handler deliveries over the sliding window (0 when it holds fewer than two samples). */
    synchronized long recentDeliveries() {
        if (window.size() < 2) {
            return 0;
        }
        return Math.max(0, window.peekLast()[2] - window.peekFirst()[2]);
    }

    synchronized BusStats snapshot(long published, long delivered, long activeSubscriptions, LongSupplier now,
            long windowNanos) {
        collect();
        windowed.reset();
        for (Histogram h : slots) {
            windowed.add(h);
        }
        long count = cumulative.getTotalCount();
        long recent = windowed.getTotalCount();
        return new BusStats(published, delivered, dropped.sum(), expired.sum(), failed.sum(), retried.sum(),
                deadLettered.sum(), activeSubscriptions,
                count == 0 ? 0 : (long) cumulative.getMean(),
                count == 0 ? 0 : cumulative.getMaxValue(),
                count == 0 ? 0 : cumulative.getValueAtPercentile(50),
                count == 0 ? 0 : cumulative.getValueAtPercentile(99),
                count == 0 ? 0 : cumulative.getValueAtPercentile(99.9),
                throughputPerSecond(),
                recent == 0 ? 0 : (long) windowed.getMean(),
                recent == 0 ? 0 : windowed.getValueAtPercentile(99),
                windowNanos, now.getAsLong());
    }
}
