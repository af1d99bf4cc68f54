package io.chronofabric.bus.internal;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How an idle consumer waits. {@link #idle(int)} is called with the number of consecutive
 * empty polls; it returns whether the caller should now block in {@link Waker#await}.
 * PARK spins briefly, yields, then blocks (woken by producers), so an idle bus uses no CPU.
 */
enum WaitStrategy {
    BUSY_SPIN("busy-spin"),
    YIELD("yield"),
    PARK("park");

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
        throw new IllegalArgumentException("wait.strategy=" + text + " is not one of park, yield, busy-spin");
    }

    /** @return true when the caller should block until woken */
    boolean idle(int emptyPolls) {
        switch (this) {
            case BUSY_SPIN:
                Thread.onSpinWait();
                return false;
            case YIELD:
                if (emptyPolls < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                return false;
            default:
                if (emptyPolls < 200) {
                    Thread.onSpinWait();
                    return false;
                }
                if (emptyPolls < 300) {
                    Thread.yield();
                    return false;
                }
                return true;
        }
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
