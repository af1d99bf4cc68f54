package io.chronofabric.time.internal;

import io.chronofabric.api.core.LogicalTime;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the HLC's crash ceiling on disk and guards the clock with it.
 *
 * <p><b>Guarantee.</b> Every timestamp the guarded clock hands out has a physical part strictly
 * below a ceiling that was durably written ({@link HlcStateStore#write}: file fsynced, renamed,
 * directory fsynced) before the timestamp was returned; the only exception is a failed write,
 * counted in {@link #unprotected()} (health reports it). After a crash the clock restarts at the
 * stored ceiling, so it issues only greater timestamps.
 *
 * <p><b>Lead.</b> The ceiling is {@link #lead(long, long)} ahead of the clock's high-water mark
 * (the larger of its last timestamp and the time source): {@code max(20 ms, min(4 x
 * persist.interval.ms, max.offset.ms / 4))}, 125 ms with the defaults. So a clock restored after
 * a crash starts at most that far ahead of the time source (a restart usually takes longer, and
 * then it starts at the time source), well inside {@code max.offset.ms} whenever that is at least
 * 80 ms; below that the 20 ms floor applies. A remote timestamp accepted ahead of local time
 * raises the clock and the ceiling with it, so after such an update a restart can start up to
 * {@code max.offset.ms} plus the lead ahead.
 *
 * <p><b>Cadence.</b> {@link #tick()} runs every {@link #checkPeriod(long) lead / 4} and rewrites
 * the ceiling once the clock has come within half the lead of it, so normally every lead / 2. If
 * it falls behind (a pause, a slow disk) or the clock jumps, the issuing thread writes the ceiling
 * itself in {@link #reach} before its timestamp is returned: that thread then waits for one write.
 */
final class HlcCeiling implements HlcClockImpl.CeilingKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(HlcCeiling.class);
    static final long MIN_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HlcClockImpl clock;
    private final HlcStateStore store;
    private final LongSupplier monotonic;
    private final Object lock = new Object();
    private final AtomicLong unprotected = new AtomicLong();
    private volatile long leadNanos;
    private volatile long writes;
    private volatile String lastFailure = "";
    private boolean failing;
    private long failedAt;

    HlcCeiling(HlcClockImpl clock, HlcStateStore store, long leadNanos, LongSupplier monotonic) {
        this.clock = clock;
        this.store = store;
        this.leadNanos = leadNanos;
        this.monotonic = monotonic;
    }

    /** The ceiling's lead over the clock: {@code max(20 ms, min(4 x interval, maxOffset / 4))}. */
    static long lead(long persistIntervalNanos, long maxOffsetNanos) {
        return Math.max(MIN_LEAD_NANOS, Math.min(4 * persistIntervalNanos, maxOffsetNanos / 4));
    }

    /** How often {@link #tick()} should run for a given lead. */
    static long checkPeriod(long leadNanos) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), leadNanos / 4);
    }

    /** Guards the clock and writes the first ceiling, so no timestamp is issued before one is durable. */
    void start() {
        synchronized (lock) {
            clock.guard(this, Long.MIN_VALUE);
            write(highWater() + leadNanos);
        }
    }

    /** The persister's step: rewrites the ceiling once the clock has come within half the lead of it. */
    void tick() {
        synchronized (lock) {
            long lead = leadNanos;
            long l = highWater();
            if (l + lead / 2 < clock.ceiling()) {
                return;
            }
            if (failing && monotonic.getAsLong() - failedAt < RETRY_AFTER_FAILURE_NANOS) {
                return;
            }
            write(l + lead);
        }
    }

    @Override
    public void reach(long physical) {
        synchronized (lock) {
            if (physical < clock.ceiling()) {
                return; // raised while this thread waited for the lock
            }
            if (failing && monotonic.getAsLong() - failedAt < RETRY_AFTER_FAILURE_NANOS) {
                unprotected.incrementAndGet();
                return;
            }
            if (!write(Math.max(physical, highWater()) + leadNanos)) {
                unprotected.incrementAndGet();
            }
        }
    }

    /**
     * Changes the lead. A shorter one lowers the ceiling on disk at once: the clock's ceiling is
     * dropped first, so issuers take the slow path until the lower ceiling, computed from the
     * high-water mark read after that, is durable.
     */
    void lead(long newLead) {
        synchronized (lock) {
            long old = leadNanos;
            leadNanos = newLead;
            if (newLead < old) {
                clock.ceiling(Long.MIN_VALUE);
                write(highWater() + newLead);
            }
        }
    }

    /**
     * Clean stop: writes the exact last timestamp. The clock's ceiling is dropped first, so a
     * timestamp still issued afterwards (a consumer that has not let go yet) rewrites a ceiling
     * above it before it is returned.
     */
    LogicalTime stop() throws IOException {
        synchronized (lock) {
            clock.ceiling(Long.MIN_VALUE);
            LogicalTime last = clock.current();
            store.write(last, true);
            failing = false;
            return last;
        }
    }

    long leadNanos() {
        return leadNanos;
    }

    /** Ceiling writes so far. */
    long writes() {
        return writes;
    }

    /** Timestamps handed out above the durable ceiling because it could not be written. */
    long unprotected() {
        return unprotected.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    private long highWater() {
        return Math.max(clock.current().physical(), clock.source().nowNanos());
    }

    private boolean write(long ceiling) {
        try {
            store.write(new LogicalTime(ceiling, 0, clock.nodeId()), false);
            clock.ceiling(ceiling);
            writes++;
            if (failing) {
                LOG.info("HLC ceiling written to {} again", store.file());
            }
            failing = false;
            return true;
        } catch (IOException | RuntimeException e) {
            lastFailure = e.toString();
            failedAt = monotonic.getAsLong();
            if (!failing) {
                LOG.error("Could not write the HLC ceiling to {}: {}; timestamps are handed out unprotected "
                        + "(after a crash they could repeat) until it can be written", store.file(), e.toString());
            }
            failing = true;
            return false;
        }
    }
}
