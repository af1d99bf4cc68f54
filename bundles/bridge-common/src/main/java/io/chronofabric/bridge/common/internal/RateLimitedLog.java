package io.chronofabric.bridge.common.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring problem at most once per interval, saying how many were not logged since.
 * Lock-free; the first occurrence is always logged.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    }

    /** Logs a warning unless one was logged within the interval. */
    public void warn(String format, Object... args) {
        long now = System.nanoTime();
        long next = nextNanos.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextNanos.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped > 0) {
            log.warn(format + " ({} similar not logged in the last {} s)", append(args, skipped, TimeUnit.NANOSECONDS.toSeconds(intervalNanos)));
        } else {
            log.warn(format, args);
        }
    }

    private static Object[] append(Object[] args, Object a, Object b) {
        Object[] all = new Object[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = a;
        all[args.length + 1] = b;
        return all;
    }
}
