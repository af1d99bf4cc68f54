package io.chronofabric.clogic.drpp.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs a WARN at most once per interval, saying how many were suppressed since the last one. */
final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    void warn(String format, Object... args) {
        long now = System.nanoTime();
        long n = next.get();
        if ((n != Long.MIN_VALUE && now - n < 0) || !next.compareAndSet(n, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long s = suppressed.getAndSet(0);
        if (s > 0) {
            log.warn(format + " (" + s + " similar messages suppressed)", args);
        } else {
            log.warn(format, args);
        }
    }
}
