package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.BusStats;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters (striped {@link LongAdder}s, so publishers do not contend) and latency histograms.
 * Each dispatcher records latency in its own {@link LatencyHistogram} without any atomic
 * operation; receivers share one concurrent recorder. {@link #collect()} folds the recorders' interval histograms into a
 * cumulative one; {@link #sample} keeps a sliding window of delivery counts for throughput.
 */
final class BusMetrics {

    static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;

    final LongAdder dropped = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deadLettered = new LongAdder();

    private final List<LatencyHistogram> dispatcherHistograms = new CopyOnWriteArrayList<>();
    private final Recorder receiverRecorder = new Recorder(1, HIGHEST_TRACKABLE_NANOS, 2);
    private final Histogram cumulative = new Histogram(1, HIGHEST_TRACKABLE_NANOS, 2);
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    private final List<Dispatcher> dispatchers = new CopyOnWriteArrayList<>();
    private long retiredDeliveries;
    private long retiredBusyNanos;

    LatencyHistogram newDispatcherHistogram() {
        LatencyHistogram h = new LatencyHistogram();
        dispatcherHistograms.add(h);
        return h;
    }

    void register(Dispatcher d) {
        dispatchers.add(d);
    }

    synchronized void retire(Dispatcher d) {
        collect();
        dispatchers.remove(d);
        d.latency.flush();
        collect();
        dispatcherHistograms.remove(d.latency);
        retiredDeliveries += d.deliveries();
        retiredBusyNanos += d.busyNanos();
    }

    static long clamp(long nanos) {
        return nanos < 1 ? 1 : Math.min(nanos, HIGHEST_TRACKABLE_NANOS);
    }

    void recordReceiverLatency(long nanos) {
        receiverRecorder.recordValue(clamp(nanos));
    }

    /** Folds interval histograms into the cumulative one. */
    synchronized void collect() {
        // a recycled histogram must come from the same recorder, so take fresh ones (once a second)
        for (LatencyHistogram h : dispatcherHistograms) {
            h.drainInto(cumulative);
        }
        cumulative.add(receiverRecorder.getIntervalHistogram());
    }

    /** Adds a (time, total deliveries) point and trims the window. */
    synchronized void sample(long nowNanos, long totalDelivered, long windowNanos) {
        window.addLast(new long[] {nowNanos, totalDelivered});
        while (window.size() > 2 && window.peekFirst()[0] < nowNanos - windowNanos) {
            window.removeFirst();
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
     * Deliveries per second the dispatchers could sustain at their measured cost per delivery
     * (busy time / deliveries), or -1 before any handler delivery.
     */
    synchronized long capacityPerSecond() {
        long deliveries = retiredDeliveries;
        long busy = retiredBusyNanos;
        for (Dispatcher d : dispatchers) {
            deliveries += d.deliveries();
            busy += d.busyNanos();
        }
        if (deliveries == 0 || busy == 0) {
            return -1;
        }
        int threads = Math.max(1, dispatchers.size());
        return (long) (threads * deliveries * 1e9 / busy);
    }

    synchronized BusStats snapshot(long published, long delivered, long activeSubscriptions, LongSupplier now) {
        collect();
        long count = cumulative.getTotalCount();
        return new BusStats(published, delivered, dropped.sum(), expired.sum(), failed.sum(), retried.sum(),
                deadLettered.sum(), activeSubscriptions,
                count == 0 ? 0 : (long) cumulative.getMean(),
                count == 0 ? 0 : cumulative.getMaxValue(),
                count == 0 ? 0 : cumulative.getValueAtPercentile(50),
                count == 0 ? 0 : cumulative.getValueAtPercentile(99),
                count == 0 ? 0 : cumulative.getValueAtPercentile(99.9),
                throughputPerSecond(), now.getAsLong());
    }
}
