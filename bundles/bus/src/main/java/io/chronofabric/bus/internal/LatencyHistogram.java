package io.chronofabric.bus.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A dispatcher's latency histogram. The dispatcher thread records into a plain HdrHistogram (no
 * atomic operation per value) and hands a filled one over when it goes idle or once a second;
 * {@link #drainInto} (statistics side) folds the handed-over ones in and returns them for reuse.
 */
final class LatencyHistogram {

    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ConcurrentLinkedQueue<Histogram> full = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Histogram> spare = new ConcurrentLinkedQueue<>();
    private Histogram current = newHistogram();
    /**
     * Times in the dispatcher's clock (the bus's time source, read once per pass), never read
     * here: the hand-over schedule follows the readings it is given. A reading earlier than the
     * last hand-over (the time source was replaced) counts as due, and the schedule starts over.
     */
    private long nextFlush;
    private long lastFlush;
    private boolean scheduled;

    private static Histogram newHistogram() {
        return new Histogram(1, BusMetrics.HIGHEST_TRACKABLE_NANOS, 2);
    }

    /** Dispatcher thread only. */
    void record(long nanos) {
        current.recordValue(BusMetrics.clamp(nanos));
    }

    /** Dispatcher thread only: hands over once a second (in the given clock). */
    void flushIfDue(long now) {
        if (!scheduled || now - nextFlush >= 0 || now - lastFlush < 0) {
            flush(now);
        }
    }

    /** Dispatcher thread only, before blocking: hands over at most every 10 ms, so a stream of single packets does not churn histograms. */
    void flushIdle(long now) {
        if (!scheduled || now - lastFlush >= IDLE_FLUSH_INTERVAL_NANOS || now - lastFlush < 0) {
            flush(now);
        }
    }

    /** Hands over what was recorded so far: the dispatcher thread, or anyone once it has ended. */
    void flush() {
        flush(lastFlush);
    }

    private void flush(long now) {
        scheduled = true;
        lastFlush = now;
        nextFlush = now + FLUSH_INTERVAL_NANOS;
        if (current.getTotalCount() == 0) {
            return;
        }
        full.add(current);
        Histogram next = spare.poll();
        current = next != null ? next : newHistogram();
    }

    /** Statistics side. */
    void drainInto(Histogram target) {
        Histogram h;
        while ((h = full.poll()) != null) {
            target.add(h);
            h.reset();
            spare.add(h);
        }
    }
}
