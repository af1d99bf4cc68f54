package io.chronofabric.bus.internal;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Validated bus settings; {@link #from} names the key and value of the first bad entry. */
record Settings(int queueCapacity, WaitStrategy waitStrategy, int dispatcherThreads, int defaultRetries,
        long defaultTimeoutNanos, int maxHeld, long shutdownTimeoutNanos, long healthMaxAvgLatencyNanos,
        long healthMinCapacity, long throughputWindowNanos, boolean causalAlways, long backoffSpinNanos, long backoffYieldNanos) {

    static final long DEFAULT_BACKOFF_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    static final long DEFAULT_BACKOFF_YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    static final Settings DEFAULTS = new Settings(8192, WaitStrategy.BACKOFF, 1, 3, TimeUnit.MILLISECONDS.toNanos(100), 10_000,
            TimeUnit.SECONDS.toNanos(5), 1000, 1_000_000, TimeUnit.SECONDS.toNanos(10), false);

    /** With the default back-off windows. */
    Settings(int queueCapacity, WaitStrategy waitStrategy, int dispatcherThreads, int defaultRetries, long defaultTimeoutNanos,
            int maxHeld, long shutdownTimeoutNanos, long healthMaxAvgLatencyNanos, long healthMinCapacity, long throughputWindowNanos,
            boolean causalAlways) {
        this(queueCapacity, waitStrategy, dispatcherThreads, defaultRetries, defaultTimeoutNanos, maxHeld, shutdownTimeoutNanos,
                healthMaxAvgLatencyNanos, healthMinCapacity, throughputWindowNanos, causalAlways, DEFAULT_BACKOFF_SPIN_NANOS,
                DEFAULT_BACKOFF_YIELD_NANOS);
    }

    /** The same settings with another wait strategy. */
    Settings withWaitStrategy(WaitStrategy strategy) {
        return new Settings(queueCapacity, strategy, dispatcherThreads, defaultRetries, defaultTimeoutNanos, maxHeld,
                shutdownTimeoutNanos, healthMaxAvgLatencyNanos, healthMinCapacity, throughputWindowNanos, causalAlways, backoffSpinNanos,
                backoffYieldNanos);
    }

    static Settings from(BusConfig c, Map<String, ?> raw) {
        int capacity = read(raw, "queue.capacity", c::queue_capacity, "an integer");
        if (capacity < 16 || capacity > (1 << 20)) {
            throw new IllegalArgumentException("queue.capacity=" + raw.get("queue.capacity") + " is out of range 16..1048576");
        }
        String ws = read(raw, "wait.strategy", c::wait_strategy, "a string");
        WaitStrategy strategy = WaitStrategy.parse(ws);
        int threads = read(raw, "dispatcher.threads", c::dispatcher_threads, "an integer");
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("dispatcher.threads=" + raw.get("dispatcher.threads") + " is out of range 1..64");
        }
        int retries = read(raw, "default.retries", c::default_retries, "an integer");
        if (retries < 0 || retries > 255) {
            throw new IllegalArgumentException("default.retries=" + raw.get("default.retries") + " is out of range 0..255");
        }
        long timeoutMs = read(raw, "default.timeout.ms", c::default_timeout_ms, "an integer");
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("default.timeout.ms=" + raw.get("default.timeout.ms") + " is negative");
        }
        int maxHeld = read(raw, "max.held", c::max_held, "an integer");
        if (maxHeld < 0) {
            throw new IllegalArgumentException("max.held=" + raw.get("max.held") + " is negative");
        }
        long shutdownMs = read(raw, "shutdown.timeout.ms", c::shutdown_timeout_ms, "an integer");
        if (shutdownMs < 0) {
            throw new IllegalArgumentException("shutdown.timeout.ms=" + raw.get("shutdown.timeout.ms") + " is negative");
        }
        long maxLatency = read(raw, "health.max.avg.latency.ns", c::health_max_avg_latency_ns, "an integer");
        long minCapacity = read(raw, "health.min.capacity", c::health_min_capacity, "an integer");
        if (maxLatency <= 0 || minCapacity < 0) {
            throw new IllegalArgumentException("health.max.avg.latency.ns=" + maxLatency + " must be > 0 and health.min.capacity="
                    + minCapacity + " >= 0");
        }
        long windowMs = read(raw, "throughput.window.ms", c::throughput_window_ms, "an integer");
        if (windowMs < 100 || windowMs > 3_600_000) {
            throw new IllegalArgumentException("throughput.window.ms=" + raw.get("throughput.window.ms") + " is out of range 100..3600000");
        }
        String tracking = read(raw, "causal.tracking", c::causal_tracking, "a string").trim().toLowerCase(Locale.ROOT);
        if (!tracking.equals("auto") && !tracking.equals("always")) {
            throw new IllegalArgumentException("causal.tracking=" + raw.get("causal.tracking") + " is not one of auto, always");
        }
        long spinUs = read(raw, "wait.backoff.spin.us", c::wait_backoff_spin_us, "an integer");
        long yieldUs = read(raw, "wait.backoff.yield.us", c::wait_backoff_yield_us, "an integer");
        if (spinUs < 0 || spinUs > 1_000_000) {
            throw new IllegalArgumentException("wait.backoff.spin.us=" + raw.get("wait.backoff.spin.us") + " is out of range 0..1000000");
        }
        if (yieldUs < spinUs || yieldUs > 10_000_000) {
            throw new IllegalArgumentException("wait.backoff.yield.us=" + raw.get("wait.backoff.yield.us") + " is out of range "
                    + spinUs + " (wait.backoff.spin.us)..10000000");
        }
        return new Settings(capacity, strategy, threads, retries, TimeUnit.MILLISECONDS.toNanos(timeoutMs), maxHeld,
                TimeUnit.MILLISECONDS.toNanos(shutdownMs), maxLatency, minCapacity, TimeUnit.MILLISECONDS.toNanos(windowMs),
                tracking.equals("always"), TimeUnit.MICROSECONDS.toNanos(spinUs), TimeUnit.MICROSECONDS.toNanos(yieldUs));
    }

    private static <T> T read(Map<String, ?> raw, String key, Supplier<T> typed, String expected) {
        try {
            return typed.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + "=" + raw.get(key) + " is not " + expected);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "queue.capacity=%d, wait.strategy=%s%s, dispatcher.threads=%d, default.retries=%d, "
                + "default.timeout.ms=%d, causal.tracking=%s", queueCapacity, waitStrategy.key(),
                waitStrategy == WaitStrategy.BACKOFF ? String.format(Locale.ROOT, " (spin %d us, yield to %d us)",
                        TimeUnit.NANOSECONDS.toMicros(backoffSpinNanos), TimeUnit.NANOSECONDS.toMicros(backoffYieldNanos)) : "",
                dispatcherThreads, defaultRetries, TimeUnit.NANOSECONDS.toMillis(defaultTimeoutNanos), causalAlways ? "always" : "auto");
    }
}
