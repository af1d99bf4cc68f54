package io.chronofabric.bus.internal;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How an idle consumer waits. {@link #idle} is called after each empty poll with the number of
 * consecutive empty polls and how long the consumer has been idle; it returns 0 to poll again at
 * once, or the longest time to block in {@link Waker#await} (producers wake a blocked consumer).
 * <ul>
 * <li>BUSY_SPIN never blocks: one core per consumer, lowest latency.</li>
 * <li>YIELD spins briefly, then yields for ever: a core's worth of CPU when idle, given up to others.</li>
 * <li>PARK spins 200 polls, yields 100, then blocks: no CPU when idle, but a packet that arrives
 *     after those few microseconds pays the wake-up (futex and scheduler, 10-50 us).</li>
 * <li>BACKOFF is timed rather than counted: it spins for {@code spinNanos}, then yields until
 *     {@code yieldNanos} have passed since the last packet, then blocks like PARK. A stream of
 *     packets closer together than the yield window never pays a wake-up; an idle consumer costs
 *     what a parked one does. (In the spirit of Agrona's BackoffIdleStrategy, with the producer's
 *     wake instead of a growing park period, so a packet never waits for a timer.)</li>
 * </ul>
 */
enum WaitStrategy {
    BUSY_SPIN("busy-spin"),
    YIELD("yield"),
    PARK("park"),
    BACKOFF("backoff");

    /** Longest block, after which a consumer looks at its queues (and maintenance) anyway. */
    static final long MAX_BLOCK_NANOS = 50_000_000L;

    private final String key;

    WaitStrategy(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    static WaitStrategy parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (WaitStrategy w : values()) {
            if (w.key.equals(t)) {
                return w;
            }
        }
        throw new IllegalArgumentException("wait.strategy=" + text + " is not one of backoff, park, yield, busy-spin");
    }

    /**
     * One idle step: spins or yields and returns 0, or returns how long the caller may block.
     *
     * @param emptyPolls consecutive empty polls, from 1
     * @param idleNanos  how long the caller has found nothing (read by BACKOFF only)
     * @param spinNanos  BACKOFF: spin this long
     * @param yieldNanos BACKOFF: then yield until idle this long
     */
    long idle(int emptyPolls, long idleNanos, long spinNanos, long yieldNanos) {
        switch (this) {
            case BUSY_SPIN:
                Thread.onSpinWait();
                return 0;
            case YIELD:
                if (emptyPolls < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                return 0;
            case PARK:
                if (emptyPolls < 200) {
                    Thread.onSpinWait();
                    return 0;
                }
                if (emptyPolls < 300) {
                    Thread.yield();
                    return 0;
                }
                return MAX_BLOCK_NANOS;
            default:
                if (idleNanos < spinNanos) {
                    Thread.onSpinWait();
                    return 0;
                }
                if (idleNanos < yieldNanos) {
                    Thread.yield();
                    return 0;
                }
                return MAX_BLOCK_NANOS;
        }
    }

    /** Whether {@link #idle} reads the idle time (the caller then reads the clock while idle). */
    boolean timed() {
        return this == BACKOFF;
    }

    /**
     * A consumer thread that may be blocked. Producers call {@link #wake()} after enqueueing;
     * it costs one volatile read unless the consumer is actually asleep.
     */
    static final class Waker extends WakerSleeper {
        @SuppressWarnings("unused")
        private long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

        /**
         * Blocks the calling thread until woken or {@code maxNanos} pass. The caller must
         * re-check its queues after {@link #prepare()} and before calling this.
         */
        void prepare() {
            sleeper = Thread.currentThread();
        }

        void await(long maxNanos) {
            LockSupport.parkNanos(this, maxNanos);
            sleeper = null;
        }

        void cancel() {
            sleeper = null;
        }

        void wake() {
            Thread t = sleeper;
            if (t != null) {
                sleeper = null;
                LockSupport.unpark(t);
            }
        }
    }
}

/** Padding before the waker's one field: publishers read it on every publish, so nothing else may share its lines. */
abstract class WakerPad {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class WakerSleeper extends WakerPad {
    volatile Thread sleeper;
}
